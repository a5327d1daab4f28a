"""Issue 13: the monitor tracks only gauges the model package knows, in bounded memory."""

from __future__ import annotations

from floodcast.monitoring.signals.gauge_activity import GaugeActivity

KNOWN = {"toy-G1": "toy", "toy-G2": "toy"}


def test_forged_gauge_ids_create_no_tracked_gauge() -> None:
    """10,000 forged ids on the readings topic leave only the package's gauges tracked."""
    activity = GaugeActivity(KNOWN)
    for index in range(10_000):
        activity.note(f"forged-{index}", "toy", 100.0)
    activity.note("toy-G1", "toy", 100.0)
    assert activity.ages(160.0) == {"toy-G1": ("toy", 60.0)}
    assert len(activity._last) <= len(KNOWN)  # memory bounded by the package, not the topic


def test_a_known_gauge_claimed_by_another_basin_is_ignored() -> None:
    """A reading naming a real gauge under a forged basin neither tracks nor relabels it."""
    activity = GaugeActivity(KNOWN)
    activity.note("toy-G2", "elsewhere", 100.0)
    assert activity.ages(200.0) == {}
    activity.note("toy-G2", "toy", 150.0)
    activity.note("toy-G2", "elsewhere", 190.0)
    assert activity.ages(200.0) == {"toy-G2": ("toy", 50.0)}

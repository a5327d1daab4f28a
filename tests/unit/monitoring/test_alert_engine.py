"""Alert engine: for-duration before firing, clear-duration before resolving, no repeats."""

from __future__ import annotations

import pytest

from floodcast.monitoring import AlertEngine, AlertRule, AlertRuleError, Sample
from floodcast.monitoring.channels import AlertChannel
from schemas import OpsAlert

GROUP = {"group": "g"}


class Recorder(AlertChannel):
    """Keeps what it is sent."""

    def __init__(self) -> None:
        self.sent: list[OpsAlert] = []

    def send(self, alert: OpsAlert) -> None:
        self.sent.append(alert)


def run(engine: AlertEngine, values: list[float | None]) -> list[tuple[int, str]]:
    """Feed one lag value per second (None = no sample); return (second, state) transitions."""
    out = []
    for second, value in enumerate(values):
        samples = [] if value is None else [Sample("consumer_lag_messages", value, GROUP)]
        out += [(second, a.state) for a in engine.evaluate(samples, now=1000.0 + second)]
    return out


def lag_rule(for_s: float = 3, clear_s: float = 2) -> AlertRule:
    return AlertRule("consumer_lag_messages", 100, for_seconds=for_s, clear_seconds=clear_s)


def test_fires_after_for_duration_once_and_resolves_after_clear_duration() -> None:
    """A breach fires only once it has lasted for_seconds, is not repeated, and resolves only
    after clear_seconds back under the threshold."""
    channel = Recorder()
    engine = AlertEngine([lag_rule()], [channel])
    values = [50, 150, 150, 150, 150, 150, 150, 20, 20, 20, 20]
    assert run(engine, values) == [(4, "firing"), (9, "resolved")]
    firing, resolved = channel.sent
    assert firing.since.timestamp() == 1001.0 and firing.at.timestamp() == 1004.0
    assert firing.value == 150 and firing.threshold == 100 and firing.labels == GROUP
    assert resolved.since == firing.since and resolved.value == 20


def test_short_breaches_and_short_calms_change_nothing() -> None:
    """A breach shorter than for_seconds never fires; a dip shorter than clear_seconds does not
    resolve a firing alert, and the breach timer restarts after an interruption."""
    engine = AlertEngine([lag_rule()])
    values = [150, 150, 150, 20, 150, 150, 150, 150, 20, 150, 150]
    assert run(engine, values) == [(7, "firing")]


def test_missing_samples_count_as_calm() -> None:
    """When a source stops reporting, the alert resolves after the clear duration."""
    engine = AlertEngine([lag_rule(for_s=0, clear_s=1)])
    assert run(engine, [150, None, None, 150]) == [(0, "firing"), (2, "resolved"), (3, "firing")]


def test_labels_make_separate_alerts() -> None:
    """Two gauges silent at once make two alerts with their own labels."""
    engine = AlertEngine([AlertRule("gauge_offline", 10, for_seconds=0, clear_seconds=0)])
    fired = engine.evaluate(
        [Sample("gauge_offline", 30, {"gauge_id": g}) for g in ("a", "b")], now=5.0
    )
    assert sorted(a.labels["gauge_id"] for a in fired) == ["a", "b"]
    assert len(engine.firing()) == 2


def test_below_rule_fires_under_threshold() -> None:
    """A 'below' rule (e.g. a skill score) fires when the value drops under the threshold."""
    rule = AlertRule("accuracy_drop", 0.4, for_seconds=0, clear_seconds=0, direction="below")
    engine = AlertEngine([rule])
    assert [a.state for a in engine.evaluate([Sample("accuracy_drop", 0.2)], now=1.0)] == ["firing"]


def test_invalid_rules_are_rejected() -> None:
    """Negative durations and two rules of one kind are configuration errors."""
    with pytest.raises(AlertRuleError):
        AlertRule("cpu", 90, for_seconds=-1, clear_seconds=0)
    with pytest.raises(AlertRuleError):
        AlertEngine([lag_rule(), lag_rule()])


def test_rules_of_one_kind_are_told_apart_by_their_match_labels() -> None:
    """Two accuracy rules (CSI below, Brier above) each judge only the samples whose labels
    they match, and the same kind with the same match twice is rejected."""
    csi = AlertRule(
        "accuracy_drop",
        0.3,
        for_seconds=0,
        clear_seconds=0,
        direction="below",
        match={"score": "csi"},
    )
    brier = AlertRule(
        "accuracy_drop", 0.1, for_seconds=0, clear_seconds=0, match={"score": "brier"}
    )
    engine = AlertEngine([csi, brier])
    samples = [
        Sample("accuracy_drop", 0.5, {"score": "csi"}),  # fine: over 0.3
        Sample("accuracy_drop", 0.2, {"score": "brier"}),  # bad: over 0.1
    ]
    fired = engine.evaluate(samples, now=1.0)
    assert [(a.labels["score"], a.threshold) for a in fired] == [("brier", 0.1)]
    resolved = engine.evaluate([], now=2.0)
    assert [(a.labels["score"], a.state) for a in resolved] == [("brier", "resolved")]
    with pytest.raises(AlertRuleError):
        AlertEngine([csi, csi])

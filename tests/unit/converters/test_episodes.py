"""Flood episodes count as warned only with enough lead; warning episodes without a flood are
false alarms."""

from __future__ import annotations

import numpy as np

from converters.episodes import episode_counts


def _line(flooded: str, warned: str, horizon: int = 8, lead: int = 2) -> object:
    flooded_now = np.array([c == "F" for c in flooded])
    warn = np.array([c == "W" for c in warned])
    n = len(flooded_now)
    until = np.array(
        [next((k for k in range(t, n) if flooded_now[k]), 10**6) - t for t in range(n)]
    )
    return episode_counts(
        np.zeros(n, dtype=np.int64),
        np.arange(n, dtype=np.int64),
        flooded_now,
        until <= horizon,
        warn,
        horizon_steps=horizon,
        min_lead_steps=lead,
        steps_per_hour=4,
    )


def test_warning_two_steps_ahead_hits_the_episode() -> None:
    """A warning 3 steps before onset (lead >= 2 steps) hits it, with 0.75 h of lead."""
    counts = _line("......FFF...", "...WWWWWW...")
    assert np.flatnonzero(counts.flood_onset).tolist() == [6]
    assert counts.hit[6] and counts.lead_hours[6] == 0.75
    assert np.flatnonzero(counts.warning_start).tolist() == [3]
    assert not counts.false_warning.any()


def test_warning_at_onset_is_too_late() -> None:
    """A warning that starts one step before onset (less than the least lead) misses it."""
    counts = _line("......FFF...", ".....WWWW...")
    assert counts.flood_onset[6] and not counts.hit.any()


def test_warning_without_flood_is_a_false_alarm() -> None:
    """A warning run that no flood follows within the horizon is one false alarm."""
    counts = _line("......................", "WW..................W.")
    assert np.flatnonzero(counts.warning_start).tolist() == [0, 20]
    assert np.flatnonzero(counts.false_warning).tolist() == [0, 20]
    assert not counts.flood_onset.any()


def test_episodes_do_not_cross_gaps_or_series() -> None:
    """A flood already under way where a block starts is not an onset; series are separate."""
    flooded_now = np.array([True, True, False, False, False, True, True])
    step = np.array([10, 11, 12, 13, 14, 15, 16])
    series = np.array([0, 0, 0, 1, 1, 1, 1])
    warn = np.array([False, False, True, True, True, False, False])
    counts = episode_counts(
        series,
        step,
        flooded_now,
        flooded_now | warn,
        warn,
        horizon_steps=8,
        min_lead_steps=1,
        steps_per_hour=4,
    )
    assert np.flatnonzero(counts.flood_onset).tolist() == [5]
    assert counts.hit[5] and counts.lead_hours[5] == 0.5
    assert np.flatnonzero(counts.warning_start).tolist() == [2, 3]

"""Slots are finalised strictly in order: early when every gauge reported, else after lateness."""

from __future__ import annotations

import math

import numpy as np
import pytest

from converters.features import BasinGeometry, IncrementalFeatures
from stream_app.state import SLOT_SECONDS, AcceptVerdict, BasinState, PendingSlot
from tests.helpers.networks import y_basin

GEOMETRY = BasinGeometry.from_basin(y_basin())
GAUGES = range(GEOMETRY.n_gauges)
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z, a slot boundary
LATENESS = 3_600
MAX_GAP = 8


def _state() -> BasinState:
    return BasinState(GEOMETRY, dedupe_window=64)


def _report(state: BasinState, slot: int, gauges=GAUGES, rain: float = 1.0) -> None:
    """Every gauge in ``gauges`` reports slot number ``slot`` (sequence = slot)."""
    start = T0 + slot * SLOT_SECONDS
    for g in gauges:
        verdict = state.accept(g, slot, start, start + SLOT_SECONDS, rain)
        assert verdict is AcceptVerdict.ACCEPTED


def _starts(slots) -> list[int]:
    return [(s.start - T0) // SLOT_SECONDS for s in slots]


def test_slot_fires_as_soon_as_every_gauge_covered_it() -> None:
    """Early firing: the last gauge's reading closes the slot without waiting for lateness."""
    state = _state()
    _report(state, 0, gauges=[0, 1])
    assert state.finalise(LATENESS, MAX_GAP) == []
    _report(state, 0, gauges=[2])
    done = state.finalise(LATENESS, MAX_GAP)
    assert _starts(done) == [0]
    assert done[0].readings == 3
    assert state.next_slot == T0 + SLOT_SECONDS
    assert state.pending == {}


def test_missing_gauge_holds_the_slot_until_the_watermark_passes_lateness() -> None:
    """Without gauge 2, slot 0 closes only once readings reach its end plus the lateness."""
    state = _state()
    for slot in range(4):
        _report(state, slot, gauges=[0, 1])
    assert state.finalise(LATENESS, MAX_GAP) == []  # watermark = end of slot 3 = 1 h after slot 0
    _report(state, 4, gauges=[0, 1])
    assert _starts(state.finalise(LATENESS, MAX_GAP)) == [0]


def test_missing_gauge_is_imputed_from_the_others() -> None:
    """A slot closed without one gauge gives the features the other gauges' mean rain."""
    state = _state()
    reference = IncrementalFeatures(GEOMETRY)
    for slot in range(5):
        _report(state, slot, gauges=[0, 1], rain=2.0)
    (done,) = state.finalise(LATENESS, MAX_GAP)
    expected = reference.advance(np.array([2.0, 2.0, 2.0]))
    np.testing.assert_array_equal(done.features, expected)


def test_slots_close_strictly_in_order() -> None:
    """A complete later slot waits for an incomplete earlier one."""
    state = _state()
    _report(state, 0, gauges=[0])
    _report(state, 1)
    assert state.finalise(LATENESS, MAX_GAP) == []
    _report(state, 0, gauges=[1, 2])
    assert _starts(state.finalise(LATENESS, MAX_GAP)) == [0, 1]


def test_reading_for_a_final_slot_is_too_late() -> None:
    """Once slot 0 is final, a reading touching it is refused and changes nothing."""
    state = _state()
    _report(state, 0)
    _report(state, 1)
    state.finalise(LATENESS, MAX_GAP)
    pending_before = dict(state.pending)
    verdict = state.accept(0, 99, T0, T0 + SLOT_SECONDS, 5.0)
    assert verdict is AcceptVerdict.TOO_LATE
    assert state.pending == pending_before
    assert state.windows[0].check(99).value == "new"  # not recorded: a resend is too late again


def test_repeated_sequence_is_a_duplicate() -> None:
    """The same gauge and sequence twice is refused the second time, even before finalising."""
    state = _state()
    assert state.accept(0, 7, T0, T0 + SLOT_SECONDS, 1.0) is AcceptVerdict.ACCEPTED
    assert state.accept(0, 7, T0, T0 + SLOT_SECONDS, 1.0) is AcceptVerdict.DUPLICATE
    assert state.pending[T0].rain[0] == 1.0


def test_five_minute_gauges_complete_a_slot_with_three_readings() -> None:
    """Three 5-minute readings per gauge cover a slot; their rain adds up."""
    state = _state()
    for g in GAUGES:
        for k in range(3):
            start = T0 + k * 300
            state.accept(g, k, start, start + 300, 0.5)
    (done,) = state.finalise(LATENESS, MAX_GAP)
    assert done.readings == 9
    expected = IncrementalFeatures(GEOMETRY).advance(np.array([1.5, 1.5, 1.5]))
    np.testing.assert_allclose(done.features, expected)


def test_hourly_reading_counts_once_in_its_last_slot() -> None:
    """A 60-minute reading fills four slots; it is counted as scored with the last one."""
    state = _state()
    for g in GAUGES:
        state.accept(g, 0, T0, T0 + 4 * SLOT_SECONDS, 4.0)
    done = state.finalise(LATENESS, MAX_GAP)
    assert _starts(done) == [0, 1, 2, 3]
    assert [s.readings for s in done] == [0, 0, 0, 3]
    assert done[-1].readings_used == 3


def test_partly_covered_gauge_is_scaled_to_the_whole_slot() -> None:
    """A gauge that reported 5 of 15 minutes contributes its rate over the whole slot."""
    slot = PendingSlot(3)
    slot.add(0, SLOT_SECONDS, 3.0)
    slot.add(1, 300, 1.0)
    rain = slot.gauge_rain()
    assert rain[:2] == [3.0, 3.0]
    assert math.isnan(rain[2])
    assert not slot.complete


def test_short_silence_is_filled_with_dry_steps() -> None:
    """Empty slots between readings are finalised as dry steps once expired."""
    state = _state()
    _report(state, 0)
    state.finalise(LATENESS, MAX_GAP)
    _report(state, 6)  # slots 1..5 empty
    _report(state, 10)  # the watermark is now an hour past slot 6
    done = state.finalise(LATENESS, MAX_GAP)
    assert _starts(done) == [1, 2, 3, 4, 5, 6]
    assert [s.readings for s in done] == [0, 0, 0, 0, 0, 3]
    assert state.features.steps_ingested == 7
    assert state.next_slot == T0 + 7 * SLOT_SECONDS  # slots 7..9 may still get late readings


def test_long_silence_restarts_the_features() -> None:
    """A gap longer than the cap is skipped and the feature history starts again."""
    state = _state()
    _report(state, 0, rain=5.0)
    state.finalise(LATENESS, MAX_GAP)
    _report(state, 40)
    done = state.finalise(LATENESS, MAX_GAP)
    assert _starts(done) == [40]
    assert state.features.steps_ingested == 1
    assert done[0].readings_used == 3  # slot 0's readings left the window with the reset


def test_slots_finalised_together_equal_slots_finalised_one_by_one() -> None:
    """Slots closed in one call, across a restart after a long silence, get the features,
    counts and final state that closing each one as it completes gives."""
    together, one_by_one = _state(), _state()
    slots = [(0, 5.0), (1, 0.0), (2, 2.5), (40, 1.0), (41, 0.5), (42, 3.0)]
    separately = []
    for slot, rain in slots:
        _report(together, slot, rain=rain)
        _report(one_by_one, slot, rain=rain)
        separately.extend(one_by_one.finalise(LATENESS, MAX_GAP))
    at_once = together.finalise(LATENESS, MAX_GAP)
    assert _starts(at_once) == _starts(separately) == [0, 1, 2, 40, 41, 42]
    for joint, single in zip(at_once, separately, strict=True):
        np.testing.assert_array_equal(joint.features, single.features)
        assert (joint.readings, joint.readings_used) == (single.readings, single.readings_used)
    assert together.features.to_bytes() == one_by_one.features.to_bytes()
    assert together.features.steps_ingested == 3


def test_first_slot_is_the_earliest_reading_seen() -> None:
    """Before anything is final, a reading for an earlier slot is still accepted."""
    state = _state()
    _report(state, 3)
    _report(state, 2)
    assert _starts(state.finalise(LATENESS, MAX_GAP)) == [2, 3]


@pytest.mark.parametrize(
    ("published", "path", "slot_end", "expected"),
    [
        (None, ("A",), 900, (True, None)),
        ((0, ("A",)), ("A", "C"), 900, (True, True)),
        ((0, ("A",)), (), 900, (True, True)),
        ((0, ("A",)), ("A",), 900, (False, False)),
        ((0, ("A",)), ("A",), 3_600, (True, False)),
    ],
    ids=["first", "changed", "all-clear", "unchanged", "cadence"],
)
def test_publication_rules(published, path, slot_end, expected) -> None:
    """Publish the first path, every change, and an unchanged path once per cadence."""
    state = _state()
    if published is not None:
        state.mark_published(*published)
    assert state.publication_due(slot_end, path, cadence_seconds=3_600) == expected

"""A basin state's river levels: slots, dedupe, the finalisation rule, and their binary form."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from converters.features import IncrementalFeatures
from stream_app.exceptions import CorruptBasinStateError
from stream_app.state import (
    SLOT_SECONDS,
    AcceptVerdict,
    BasinState,
    decode_basin_state,
    encode_basin_state,
)
from tests.unit.stream_app.basin_steps import GEOMETRY, LATENESS, T0, end_of, rain_in


def test_a_level_joins_the_slot_that_ends_at_or_after_it() -> None:
    """A level observed at a slot's end belongs to that slot; one a second later to the next."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    state.accept_stage(0, 1, end_of(0), 0.5)
    state.accept_stage(1, 1, end_of(0) + 1, 0.7)
    assert state.pending[T0].stage is not None
    assert state.pending[T0 + SLOT_SECONDS].stage is not None
    assert state.pending[T0].stage.stage_m[0] == 0.5
    assert state.pending[T0 + SLOT_SECONDS].stage.stage_m[1] == 0.7


def test_the_latest_observation_of_a_sensor_stands_for_its_slot() -> None:
    """Of two levels of a sensor in a slot, the later observation is kept whatever the arrival
    order; a repeated sequence is a duplicate; a level for a final slot is too late."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    assert state.accept_stage(0, 5, end_of(0), 0.6) is AcceptVerdict.ACCEPTED
    assert state.accept_stage(0, 4, end_of(0) - 300, 2.0) is AcceptVerdict.ACCEPTED
    assert state.accept_stage(0, 5, end_of(0), 3.0) is AcceptVerdict.DUPLICATE
    rain_in(state, 0)
    (slot,) = state.finalise(LATENESS, 8)
    assert slot.stage_readings == 2
    expected = IncrementalFeatures(GEOMETRY).advance(
        np.ones(GEOMETRY.n_gauges), np.array([0.6, np.nan])
    )
    np.testing.assert_array_equal(slot.features, expected)
    assert state.accept_stage(1, 1, end_of(0), 0.4) is AcceptVerdict.TOO_LATE
    assert state.sensor_windows[1].highest == -1  # a refused level is not remembered


def test_a_covered_slot_waits_for_a_live_stage_stream() -> None:
    """While levels arrive, a slot the gauges covered closes only once the levels reached its
    end; rain alone closes it for a basin whose levels stopped over ``lateness`` ago."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    state.accept_stage(0, 0, end_of(0), 0.5)
    rain_in(state, 0)
    rain_in(state, 1)
    assert [s.start for s in state.finalise(LATENESS, 8)] == [T0]  # slot 1 waits for levels
    state.accept_stage(0, 1, end_of(1), 0.5)
    assert [s.start for s in state.finalise(LATENESS, 8)] == [T0 + SLOT_SECONDS]
    closed = []
    for slot in range(2, 7):  # the sensors fall silent
        rain_in(state, slot)
        closed.append([s.start for s in state.finalise(LATENESS, 8)])
    # held until the rain is over an hour ahead of the last level, then all at once
    assert closed == [[], [], [], [], [T0 + k * SLOT_SECONDS for k in range(2, 7)]]


def test_without_levels_slots_close_on_rain_alone() -> None:
    """A basin that never got a level fires each slot as soon as its gauges covered it."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    rain_in(state, 0)
    assert len(state.finalise(LATENESS, 8)) == 1
    rain_in(state, 1)
    assert len(state.finalise(LATENESS, 8)) == 1


def _state_with_levels() -> BasinState:
    state = BasinState(GEOMETRY, dedupe_window=64)
    for slot in range(3):
        state.accept_stage(0, slot, end_of(slot), 0.5 + slot)
        rain_in(state, slot)
    state.accept_stage(1, 7, end_of(3), 1.25)  # an open slot with a level and no rain
    state.accept_stage(0, 9, end_of(4) - 60, 0.75)
    state.finalise(LATENESS, 8)
    return state


def test_levels_survive_the_binary_form() -> None:
    """Sensor windows, open slots' levels and the stage watermark round-trip, and the restored
    state finalises the next slots exactly as the original."""
    state = _state_with_levels()
    data = encode_basin_state(state)
    restored = decode_basin_state(GEOMETRY, data, dedupe_window=64)
    assert restored.stage_watermark == state.stage_watermark == end_of(4) - 60
    assert [(w.highest, w.bits) for w in restored.sensor_windows] == [
        (w.highest, w.bits) for w in state.sensor_windows
    ]
    for start, slot in state.pending.items():
        mine, theirs = slot.stage, restored.pending[start].stage
        assert (mine is None) == (theirs is None)
        if mine is not None and theirs is not None:
            np.testing.assert_array_equal(theirs.stage_m, mine.stage_m)  # NaN: no level
            assert (theirs.at, theirs.readings) == (mine.at, mine.readings)
    assert encode_basin_state(restored) == data
    for candidate in (state, restored):
        rain_in(candidate, 3)
        rain_in(candidate, 4)
        candidate.accept_stage(1, 8, end_of(4), 1.0)  # the levels reach slot 4's end
    (a3, a4), (b3, b4) = (s.finalise(LATENESS, 8) for s in (state, restored))
    np.testing.assert_array_equal(a3.features, b3.features)
    np.testing.assert_array_equal(a4.features, b4.features)
    assert (a3.stage_readings, a4.stage_readings) == (1, 2)


def test_a_version_1_state_is_migrated_without_levels() -> None:
    """A state written before the stream carried levels (format 1: no river-level section)
    loads with empty sensor windows and no stage watermark, keeping its rain."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    rain_in(state, 0)
    rain_in(state, 1, mm=2.0)
    state.finalise(LATENESS, 8)
    current = encode_basin_state(state)
    # the river-level section: its header, then per sensor a sequence and a bitmap; then the
    # forecast section's count (none held)
    section = struct.calcsize("<HIq") + GEOMETRY.stage.n_sensors * (8 + 64 // 8) + 2
    old = current[:4] + struct.pack("<H", 1) + current[6:-section]
    restored = decode_basin_state(GEOMETRY, old, dedupe_window=64)
    assert restored.stage_watermark is None
    assert [w.highest for w in restored.sensor_windows] == [-1] * GEOMETRY.stage.n_sensors
    assert restored.next_slot == state.next_slot
    assert restored.features.to_bytes() == state.features.to_bytes()
    assert encode_basin_state(restored) == current


@pytest.mark.parametrize("version", [0, 4])
def test_other_versions_are_refused(version: int) -> None:
    """A state of an unknown format version is refused rather than misread."""
    data = encode_basin_state(_state_with_levels())
    with pytest.raises(CorruptBasinStateError, match=f"v{version}"):
        decode_basin_state(GEOMETRY, data[:4] + struct.pack("<H", version) + data[6:], 64)


def test_a_cut_river_level_section_is_refused() -> None:
    """A state whose river-level section is cut short or padded is refused."""
    data = encode_basin_state(_state_with_levels())
    for broken in (data[:-1], data[:-30], data + b"\x00"):
        with pytest.raises(CorruptBasinStateError):
            decode_basin_state(GEOMETRY, broken, 64)


def test_slots_wait_for_stage_still_to_be_read_however_far_behind() -> None:
    """Rain read hours ahead of the stage (a worker catching up) closes no covered slot, nor an
    uncovered one by lateness, while the basin's stage partition holds unread messages, even
    before its first stage reading; without that backlog the rain alone decides again."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    for slot in range(12):  # three hours of rain, read before any stage
        rain_in(state, slot)
    assert state.finalise(LATENESS, 8, stage_backlog=True) == []
    state.accept_stage(0, 0, end_of(0), 0.5)
    state.accept_stage(0, 1, end_of(1), 0.6)
    state.accept_stage(0, 2, end_of(2), 0.7)
    # slot 2 waits too: other sensors' levels of its end may still be unread
    (zero, one) = state.finalise(LATENESS, 8, stage_backlog=True)
    assert (zero.stage_readings, one.stage_readings) == (1, 1)
    assert state.finalise(LATENESS, 8, stage_backlog=True) == []
    late = state.finalise(LATENESS, 8, stage_backlog=False)
    assert [s.start for s in late] == [T0 + k * SLOT_SECONDS for k in range(2, 12)]
    assert late[0].stage_readings == 1


def test_a_backlog_holds_no_slot_past_the_longest_skew() -> None:
    """Rain more than six hours ahead of the last stage closes its slots, backlog or not."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    state.accept_stage(0, 0, end_of(0), 0.5)
    for slot in range(30):  # 7.5 hours of rain
        rain_in(state, slot)
    closed = state.finalise(LATENESS, 8, stage_backlog=True)
    assert len(closed) == 30

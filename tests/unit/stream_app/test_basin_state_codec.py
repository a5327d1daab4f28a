"""A basin state survives its binary form exactly, and foreign bytes are refused."""

from __future__ import annotations

import numpy as np
import pytest

from converters.features import BasinGeometry
from stream_app.exceptions import CorruptBasinStateError
from stream_app.state import SLOT_SECONDS, BasinState, decode_basin_state, encode_basin_state
from tests.helpers.networks import y_basin

GEOMETRY = BasinGeometry.from_basin(y_basin())
T0 = 1_767_225_600


def _busy_state() -> BasinState:
    """A state with final slots, open slots, dedupe history and a published path."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    for slot in range(6):
        start = T0 + slot * SLOT_SECONDS
        for g in range(GEOMETRY.n_gauges):
            if slot < 4 or g == 0:
                state.accept(g, slot, start, start + SLOT_SECONDS, 0.5 * slot + g)
    state.finalise(lateness_seconds=3_600, max_gap_slots=8)
    state.mark_published(T0 + 4 * SLOT_SECONDS, ("B", "C"))
    state.applied_offset = 41
    return state


def test_round_trip_keeps_every_field() -> None:
    """Decoding the encoding gives the same slots, windows, path and feature state."""
    state = _busy_state()
    restored = decode_basin_state(GEOMETRY, encode_basin_state(state), dedupe_window=64)
    assert restored.next_slot == state.next_slot
    assert restored.watermark == state.watermark
    assert restored.last_path == ("B", "C")
    assert restored.last_published == state.last_published
    assert restored.applied_offset == 41
    assert restored.slot_readings == state.slot_readings
    assert sorted(restored.pending) == sorted(state.pending)
    for start, slot in state.pending.items():
        assert restored.pending[start].rain == slot.rain
        assert restored.pending[start].covered == slot.covered
        assert restored.pending[start].readings == slot.readings
    assert [(w.highest, w.bits) for w in restored.windows] == [
        (w.highest, w.bits) for w in state.windows
    ]
    assert restored.features.to_bytes() == state.features.to_bytes()


def test_restored_state_continues_identically() -> None:
    """The next slot computed from a restored state equals the original's, bit for bit."""
    state = _busy_state()
    restored = decode_basin_state(GEOMETRY, encode_basin_state(state), dedupe_window=64)
    start = T0 + 4 * SLOT_SECONDS
    for candidate in (state, restored):
        for g in range(1, GEOMETRY.n_gauges):
            candidate.accept(g, 4, start, start + SLOT_SECONDS, 1.25)
    (a,), (b,) = (s.finalise(3_600, 8)[:1] for s in (state, restored))
    np.testing.assert_array_equal(a.features, b.features)


def test_fresh_state_round_trips() -> None:
    """A state that has seen nothing encodes its empty fields."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    restored = decode_basin_state(GEOMETRY, encode_basin_state(state), dedupe_window=64)
    assert restored.next_slot is None and restored.watermark is None
    assert restored.last_path is None and restored.pending == {}


def test_state_is_a_few_kilobytes() -> None:
    """Compactness: feature history dominates; everything else adds little."""
    data = encode_basin_state(_busy_state())
    feature_bytes = len(_busy_state().features.to_bytes())
    assert len(data) < feature_bytes + 1_200


@pytest.mark.parametrize(
    "mangle",
    [lambda b: b[:-3], lambda b: b + b"x", lambda b: b"XXXX" + b[4:], lambda b: b[:10]],
    ids=["truncated", "trailing", "magic", "header-only"],
)
def test_corrupt_bytes_are_refused(mangle) -> None:
    """Bytes that are not this basin's state raise CorruptBasinStateError."""
    data = mangle(encode_basin_state(_busy_state()))
    with pytest.raises(CorruptBasinStateError):
        decode_basin_state(GEOMETRY, data, dedupe_window=64)


def test_state_of_another_basin_shape_is_refused() -> None:
    """A state written for a different number of gauges does not load."""
    other = BasinGeometry.from_basin(y_basin("other"))
    data = bytearray(encode_basin_state(BasinState(other, 64)))
    data[6:8] = (7).to_bytes(2, "little")  # claim seven gauges
    with pytest.raises(CorruptBasinStateError, match="gauges"):
        decode_basin_state(GEOMETRY, bytes(data), dedupe_window=64)

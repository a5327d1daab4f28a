"""A basin state's rain forecasts: dedupe, the slot they join, and their binary form."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from schemas.rain_forecast import FORECAST_STEPS
from stream_app.exceptions import CorruptBasinStateError
from stream_app.state import (
    AcceptVerdict,
    BasinState,
    decode_basin_state,
    encode_basin_state,
)
from tests.unit.stream_app.basin_steps import GEOMETRY, LATENESS, end_of, rain_in


def _values(seed: int) -> np.ndarray:
    values = np.random.default_rng(seed).gamma(0.6, 2.0, (FORECAST_STEPS, GEOMETRY.n_gauges))
    values[:, 0] = np.nan  # an area the forecast left out
    return values


def test_a_forecast_is_deduplicated_by_id_and_issue_time() -> None:
    """The same id again, or any forecast issued no later than the latest, is a duplicate,
    also once the latest has joined the features."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    assert state.accept_forecast("a", end_of(1), _values(0)) is AcceptVerdict.ACCEPTED
    assert state.accept_forecast("a", end_of(2), _values(0)) is AcceptVerdict.DUPLICATE
    assert state.accept_forecast("b", end_of(1), _values(1)) is AcceptVerdict.DUPLICATE
    for slot in range(3):
        rain_in(state, slot)
    assert [slot.forecasts for slot in state.finalise(LATENESS, 8)] == [0, 1, 0]
    assert state.accept_forecast("c", end_of(0), _values(1)) is AcceptVerdict.DUPLICATE
    assert state.accept_forecast("a", end_of(5), _values(1)) is AcceptVerdict.DUPLICATE
    assert state.accept_forecast("d", end_of(5), _values(1)) is AcceptVerdict.ACCEPTED
    assert [held.forecast_id for held in state.forecasts] == ["d"]


def _state_with_forecasts() -> BasinState:
    state = BasinState(GEOMETRY, dedupe_window=64)
    state.accept_forecast("first", end_of(0), _values(0))
    for slot in range(2):
        rain_in(state, slot)
    state.finalise(LATENESS, 8)
    state.accept_forecast("second", end_of(3) - 300, _values(1))  # waits for slot 3
    state.accept_forecast("é-third", end_of(4), _values(2))  # and one for slot 4
    return state


def test_forecasts_survive_the_binary_form() -> None:
    """Held forecasts round-trip, NaN areas included, and the restored state gives the next
    slots exactly the original's features and forecast counts."""
    state = _state_with_forecasts()
    data = encode_basin_state(state)
    restored = decode_basin_state(GEOMETRY, data, dedupe_window=64)
    assert [(h.forecast_id, h.issued_at, h.slot, h.applied) for h in restored.forecasts] == [
        (h.forecast_id, h.issued_at, h.slot, h.applied) for h in state.forecasts
    ]
    for mine, theirs in zip(state.forecasts, restored.forecasts, strict=True):
        np.testing.assert_array_equal(theirs.rain_mm, mine.rain_mm)
    assert encode_basin_state(restored) == data
    for candidate in (state, restored):
        for slot in range(2, 6):
            rain_in(candidate, slot)
    mine, theirs = (candidate.finalise(LATENESS, 8) for candidate in (state, restored))
    assert [slot.forecasts for slot in mine] == [slot.forecasts for slot in theirs] == [0, 1, 1, 0]
    for a, b in zip(mine, theirs, strict=True):
        np.testing.assert_array_equal(a.features, b.features)


def test_a_version_2_state_is_migrated_without_forecasts() -> None:
    """A state written before the stream carried forecasts (format 2: no forecast section)
    loads with none held, keeping its rain."""
    state = BasinState(GEOMETRY, dedupe_window=64)
    rain_in(state, 0)
    state.finalise(LATENESS, 8)
    current = encode_basin_state(state)
    old = current[:4] + struct.pack("<H", 2) + current[6:-2]  # without the forecast count
    restored = decode_basin_state(GEOMETRY, old, dedupe_window=64)
    assert restored.forecasts == []
    assert restored.features.to_bytes() == state.features.to_bytes()
    assert encode_basin_state(restored) == current


def test_a_cut_forecast_section_is_refused() -> None:
    """A state whose forecast section is cut short or padded is refused."""
    data = encode_basin_state(_state_with_forecasts())
    for broken in (data[:-1], data[:-400], data + b"\x00"):
        with pytest.raises(CorruptBasinStateError):
            decode_basin_state(GEOMETRY, broken, 64)

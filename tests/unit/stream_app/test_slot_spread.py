"""A reading's rain is split over the 15-minute slots its interval overlaps, in proportion."""

from __future__ import annotations

import pytest

from stream_app.state import SLOT_SECONDS, slot_of, spread_over_slots


def test_aligned_quarter_hour_fills_one_slot() -> None:
    """A 15-minute reading on the grid lands whole in the slot it starts in."""
    assert spread_over_slots(9_000, 9_900, 2.5) == [(9_000, SLOT_SECONDS, 2.5)]


def test_five_minute_reading_covers_a_third_of_its_slot() -> None:
    """A 5-minute reading covers 300 s of one slot and keeps all its rain."""
    assert spread_over_slots(9_300, 9_600, 0.4) == [(9_000, 300, 0.4)]


def test_hourly_reading_spreads_evenly_over_four_slots() -> None:
    """A 60-minute reading gives each of its four slots a quarter of the rain."""
    shares = spread_over_slots(3_600, 7_200, 8.0)
    assert [slot for slot, _, _ in shares] == [3_600, 4_500, 5_400, 6_300]
    assert all(seconds == SLOT_SECONDS for _, seconds, _ in shares)
    assert [rain for _, _, rain in shares] == [2.0, 2.0, 2.0, 2.0]


def test_off_grid_reading_splits_by_overlap() -> None:
    """A reading straddling a boundary splits its rain by the seconds on each side."""
    shares = spread_over_slots(800, 1_100, 3.0)
    assert [(slot, seconds) for slot, seconds, _ in shares] == [(0, 100), (900, 200)]
    assert shares[0][2] == pytest.approx(1.0)
    assert shares[1][2] == pytest.approx(2.0)
    assert sum(rain for _, _, rain in shares) == pytest.approx(3.0)


def test_empty_interval_is_refused() -> None:
    """An interval that does not end after it starts is a programming error."""
    with pytest.raises(ValueError, match="not after"):
        spread_over_slots(900, 900, 1.0)


def test_slot_of_floors_to_the_grid() -> None:
    """Slot starts are multiples of 15 minutes in epoch seconds."""
    assert [slot_of(t) for t in (0, 899, 900, 1_799, 1_800)] == [0, 0, 900, 900, 1_800]

"""A gauge's dedupe window tells new, duplicate and too-old sequence numbers apart."""

from __future__ import annotations

import pytest

from stream_app.state import DedupeVerdict, DedupeWindow


def test_first_and_increasing_sequences_are_new() -> None:
    """Nothing recorded yet: every sequence is new; recording it makes it a duplicate."""
    window = DedupeWindow(64)
    assert window.check(0) is DedupeVerdict.NEW
    window.record(0)
    assert window.check(0) is DedupeVerdict.DUPLICATE
    assert window.check(1) is DedupeVerdict.NEW


def test_gaps_inside_the_window_stay_new_until_filled() -> None:
    """Out-of-order sequences below the highest are accepted once, then duplicates."""
    window = DedupeWindow(64)
    for sequence in (10, 13, 11):
        window.record(sequence)
    assert window.check(12) is DedupeVerdict.NEW
    assert [window.check(s) for s in (10, 11, 13)] == [DedupeVerdict.DUPLICATE] * 3
    window.record(12)
    assert window.check(12) is DedupeVerdict.DUPLICATE


def test_sequences_older_than_the_window_are_stale() -> None:
    """A sequence the window no longer covers is stale, not a duplicate."""
    window = DedupeWindow(64)
    window.record(100)
    assert window.check(100 - 63) is DedupeVerdict.NEW
    assert window.check(100 - 64) is DedupeVerdict.STALE


def test_a_jump_beyond_the_window_forgets_the_old_bits() -> None:
    """After a jump of more than the window, only the new sequence is remembered."""
    window = DedupeWindow(64)
    for sequence in range(10):
        window.record(sequence)
    window.record(1_000)
    assert window.bits == 1
    assert window.check(999) is DedupeVerdict.NEW


def test_recording_a_stale_sequence_restarts_the_window() -> None:
    """A gauge that restarted its counter gets a fresh window at the new sequence."""
    window = DedupeWindow(64)
    window.record(5_000)
    window.record(3)
    assert window.highest == 3
    assert window.check(3) is DedupeVerdict.DUPLICATE
    assert window.check(4) is DedupeVerdict.NEW


def test_bitmap_round_trips_through_bytes() -> None:
    """The serialised bitmap restores the same verdicts."""
    window = DedupeWindow(128)
    for sequence in (1, 5, 7, 120, 130):
        window.record(sequence)
    restored = DedupeWindow.from_bytes(128, window.highest, window.to_bytes())
    assert len(window.to_bytes()) == 16
    assert [restored.check(s) for s in range(2, 140)] == [window.check(s) for s in range(2, 140)]


@pytest.mark.parametrize("size", [0, 12, -8])
def test_window_size_must_be_a_positive_multiple_of_eight(size: int) -> None:
    """Sizes that do not fill whole bytes are refused."""
    with pytest.raises(ValueError, match="multiple of 8"):
        DedupeWindow(size)

"""Offset gaps are re-read at a limited rate, and given up after the patience runs out."""

from __future__ import annotations

from stream_app.gap_healer import GapHealer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_gap_is_re_read_at_once_then_at_most_every_retry_interval() -> None:
    """The first report seeks; repeats within the retry interval do not."""
    clock = Clock()
    healer = GapHealer(retry_seconds=2.0, patience_seconds=30.0, clock=clock)
    assert healer.observe({3: 41}, counted=[]) == [(3, 41)]
    clock.now += 1.0
    assert healer.observe({3: 41}, counted=[]) == []
    clock.now += 1.5
    assert healer.observe({3: 41}, counted=[3]) == [(3, 41)]


def test_a_filled_gap_is_forgotten() -> None:
    """Counting a partition without a gap clears its history."""
    clock = Clock()
    healer = GapHealer(retry_seconds=2.0, patience_seconds=30.0, clock=clock)
    healer.observe({3: 41}, counted=[])
    healer.observe({}, counted=[3])
    clock.now += 60.0
    assert healer.accepted() == frozenset()
    assert healer.observe({3: 90}, counted=[]) == [(3, 90)]


def test_a_gap_outliving_the_patience_is_accepted() -> None:
    """After the patience, the partition is reported for the processor to accept the loss."""
    clock = Clock()
    healer = GapHealer(retry_seconds=2.0, patience_seconds=30.0, clock=clock)
    healer.observe({1: 7, 2: 9}, counted=[])
    clock.now += 29.0
    assert healer.accepted() == frozenset()
    clock.now += 1.0
    assert healer.accepted() == frozenset({1, 2})

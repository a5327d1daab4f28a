"""Spreading a reading's rain over the 15-minute slots its interval overlaps."""

from __future__ import annotations

from converters.features.spec import STEP_MINUTES

__all__ = ["SLOT_SECONDS", "slot_of", "spread_over_slots"]

SLOT_SECONDS = STEP_MINUTES * 60
"""Length of a feature step; slots start at multiples of it in UTC epoch seconds."""


def slot_of(epoch_seconds: int) -> int:
    """Start of the slot holding ``epoch_seconds``.

    Examples:
        >>> slot_of(1_800), slot_of(1_799)
        (1800, 900)
    """
    return epoch_seconds - epoch_seconds % SLOT_SECONDS


def spread_over_slots(start: int, end: int, rain_mm: float) -> list[tuple[int, int, float]]:
    """Split rain measured over ``[start, end)`` (epoch seconds) by the slots it overlaps.

    Rain is assumed uniform over the interval, so each slot gets the share of the rain that
    matches its share of the interval: 5-minute gauges fill a third of a slot each, a
    60-minute gauge spreads over four.

    Args:
        start: interval start, epoch seconds.
        end: interval end, epoch seconds; greater than ``start``.
        rain_mm: rain over the whole interval.

    Returns:
        ``(slot start, seconds of the slot covered, rain in the slot)`` in time order.

    Examples:
        >>> spread_over_slots(0, 3_600, 4.0)
        [(0, 900, 1.0), (900, 900, 1.0), (1800, 900, 1.0), (2700, 900, 1.0)]
        >>> spread_over_slots(600, 1_200, 3.0)
        [(0, 300, 1.5), (900, 300, 1.5)]
    """
    if end <= start:
        raise ValueError(f"interval end {end} is not after its start {start}")
    length = end - start
    first = slot_of(start)
    if end - first <= SLOT_SECONDS:  # the common case: one slot
        return [(first, length, rain_mm)]
    shares = []
    slot = first
    while slot < end:
        covered = min(end, slot + SLOT_SECONDS) - max(start, slot)
        shares.append((slot, covered, rain_mm * covered / length))
        slot += SLOT_SECONDS
    return shares

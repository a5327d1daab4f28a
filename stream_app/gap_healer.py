"""When to re-read a partition from a gap in its offsets, and when to give the gap up."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping

__all__ = ["GapHealer"]


class GapHealer:
    """Tracks offset gaps reported by the batch processor per source partition.

    Faust's consumer can skip a message while partitions resume around a seek (a recovery
    race in faust-streaming 0.15.3: stream partitions resume before the seek to the committed
    offset, and a message read in between is neither delivered nor read again). The processor
    holds back whatever follows a gap; this class asks for a seek back to the gap, again every
    ``retry_seconds`` while it persists, and after ``patience_seconds`` lets the processor
    accept the loss so that one unreadable offset cannot stall a partition forever.

    Args:
        retry_seconds: minimum time between two seeks of the same partition.
        patience_seconds: how long a gap may persist before it is accepted.
        clock: monotonic seconds.
    """

    def __init__(
        self,
        retry_seconds: float = 2.0,
        patience_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.retry_seconds = retry_seconds
        self.patience_seconds = patience_seconds
        self.clock = clock
        self._first_seen: dict[int, float] = {}
        self._last_seek: dict[int, float] = {}

    def accepted(self) -> frozenset[int]:
        """Partitions whose gap has outlived the patience (to pass as ``accept_gaps``)."""
        now = self.clock()
        return frozenset(
            p for p, since in self._first_seen.items() if now - since >= self.patience_seconds
        )

    def observe(self, gaps: Mapping[int, int], counted: Collection[int]) -> list[tuple[int, int]]:
        """Record a batch's gaps; return the ``(partition, offset)`` seeks to make now.

        Args:
            gaps: partition -> first missing offset, from ``BatchResult.gaps``.
            counted: partitions that had records counted in the batch.
        """
        now = self.clock()
        for partition in counted:
            if partition not in gaps:
                self._first_seen.pop(partition, None)
                self._last_seek.pop(partition, None)
        seeks = []
        for partition, offset in sorted(gaps.items()):
            self._first_seen.setdefault(partition, now)
            last = self._last_seek.get(partition)
            if last is None or now - last >= self.retry_seconds:
                self._last_seek[partition] = now
                seeks.append((partition, offset))
        return seeks

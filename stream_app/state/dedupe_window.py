"""Which recent sequence numbers of one gauge were already accepted."""

from __future__ import annotations

from enum import Enum

__all__ = ["DedupeVerdict", "DedupeWindow"]


class DedupeVerdict(Enum):
    """What a sequence number is, relative to a gauge's window."""

    NEW = "new"
    """Not seen: above the highest sequence, or a gap inside the window."""
    DUPLICATE = "duplicate"
    """Already accepted."""
    STALE = "stale"
    """Older than the window: it cannot be told apart from a duplicate, or the gauge restarted
    its counter."""


class DedupeWindow:
    """The highest accepted sequence of a gauge and a bitmap of the ``size`` sequences below it.

    Bit ``i`` of the bitmap is set when sequence ``highest - i`` was accepted. A Python int holds
    the bitmap: shifting and testing one is a few hundred nanoseconds even for 1,024 bits.

    Args:
        size: sequences remembered, a multiple of 8.
        highest: highest accepted sequence, or -1 when none was accepted yet.
        bits: the bitmap.

    Examples:
        >>> window = DedupeWindow(64)
        >>> window.check(7)
        <DedupeVerdict.NEW: 'new'>
        >>> window.record(7)
        >>> window.check(7), window.check(5)
        (<DedupeVerdict.DUPLICATE: 'duplicate'>, <DedupeVerdict.NEW: 'new'>)
    """

    __slots__ = ("_mask", "bits", "highest", "size")

    def __init__(self, size: int, highest: int = -1, bits: int = 0) -> None:
        if size <= 0 or size % 8:
            raise ValueError(f"window size must be a positive multiple of 8, got {size}")
        self.size = size
        self._mask = (1 << size) - 1
        self.highest = highest
        self.bits = bits & self._mask

    def check(self, sequence: int) -> DedupeVerdict:
        """Classify ``sequence`` without recording it."""
        if sequence > self.highest:
            return DedupeVerdict.NEW
        behind = self.highest - sequence
        if behind >= self.size:
            return DedupeVerdict.STALE
        return DedupeVerdict.DUPLICATE if (self.bits >> behind) & 1 else DedupeVerdict.NEW

    def record(self, sequence: int) -> None:
        """Mark ``sequence`` accepted.

        A stale sequence restarts the window there: the gauge reset its counter (a reading that
        was merely very old is refused as too late before it gets recorded).
        """
        if sequence > self.highest:
            shift = sequence - self.highest
            self.bits = ((self.bits << shift) | 1) & self._mask if shift < self.size else 1
            self.highest = sequence
            return
        behind = self.highest - sequence
        if behind >= self.size:
            self.highest, self.bits = sequence, 1
        else:
            self.bits |= 1 << behind

    def to_bytes(self) -> bytes:
        """The bitmap as ``size // 8`` little-endian bytes."""
        return self.bits.to_bytes(self.size // 8, "little")

    @classmethod
    def from_bytes(cls, size: int, highest: int, data: bytes) -> DedupeWindow:
        """Rebuild a window; a bitmap written with another size is cut or zero-extended."""
        return cls(size, highest, int.from_bytes(data, "little"))

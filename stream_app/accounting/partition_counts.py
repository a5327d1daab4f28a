"""What became of every reading consumed from one source partition."""

from __future__ import annotations

import json
import struct
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemas import DeadLetterReason
from stream_app.exceptions import CorruptCountsError

__all__ = ["CHECKPOINT_MAGIC", "PartitionCounts", "side_counts_from_bytes"]

CHECKPOINT_MAGIC = b"FCPK"
"""Start of a ``PartitionCheckpoint``: the counts' JSON follows, after its length (u32)."""

# RecursionError: deeply nested JSON; OverflowError: int() of an infinite float
_NOT_COUNTS = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    RecursionError,
    OverflowError,
    struct.error,
)


def _counts_json(data: bytes) -> Any:
    """The counts' JSON document, alone or at the head of a partition checkpoint."""
    if data.startswith(CHECKPOINT_MAGIC):
        start = len(CHECKPOINT_MAGIC) + 4
        (length,) = struct.unpack_from("<I", data, len(CHECKPOINT_MAGIC))
        data = data[start : start + length]
    return json.loads(data)


@dataclass
class PartitionCounts:
    """Counts of one source partition's messages, each in exactly one bucket.

    A message is dead-lettered (by reason), deduplicated, pending (accepted into a slot that is
    not final yet) or scored (its slot was finalised and scored). ``offset`` is the highest
    source offset counted: a message at or below it is a replay after a restart and is not
    counted again.
    """

    offset: int = -1
    scored: int = 0
    pending: int = 0
    deduplicated: int = 0
    dead_lettered: Counter[str] = field(default_factory=Counter)

    @property
    def dead_letters(self) -> int:
        """Dead-lettered messages, all reasons."""
        return sum(self.dead_lettered.values())

    @property
    def total(self) -> int:
        """Messages counted."""
        return self.scored + self.pending + self.deduplicated + self.dead_letters

    def dead_letter(self, reason: DeadLetterReason) -> None:
        self.dead_lettered[reason.value] += 1

    def settle(self, readings: int) -> None:
        """Move ``readings`` from pending to scored: their slot was finalised and scored."""
        self.pending -= readings
        self.scored += readings

    def to_bytes(self, side: Mapping[str, PartitionCounts] | None = None) -> bytes:
        """Compact JSON (the table's changelog value).

        Args:
            side: counts of the same partition of the side-input topics (river levels), by
                topic; written under ``"topics"``, which :meth:`from_bytes` leaves alone.
        """
        raw: dict[str, object] = self._json()
        if side:
            raw["topics"] = {topic: side[topic]._json() for topic in sorted(side)}
        return json.dumps(raw, separators=(",", ":")).encode()

    def _json(self) -> dict[str, object]:
        return {
            "offset": self.offset,
            "scored": self.scored,
            "pending": self.pending,
            "deduplicated": self.deduplicated,
            "dead_lettered": dict(sorted(self.dead_lettered.items())),
        }

    @classmethod
    def from_bytes(cls, data: bytes) -> PartitionCounts:
        """Parse :meth:`to_bytes` output, alone or at the head of a partition checkpoint.

        Raises:
            CorruptCountsError: the bytes are not partition counts.
        """
        try:
            return cls._from_json(_counts_json(data))
        except _NOT_COUNTS as exc:
            raise CorruptCountsError(f"not partition counts: {data[:80]!r}") from exc

    @classmethod
    def _from_json(cls, raw: Any) -> PartitionCounts:
        return cls(
            offset=int(raw["offset"]),
            scored=int(raw["scored"]),
            pending=int(raw["pending"]),
            deduplicated=int(raw["deduplicated"]),
            dead_lettered=Counter({str(k): int(v) for k, v in raw["dead_lettered"].items()}),
        )

    @classmethod
    def summed(cls, parts: Iterable[PartitionCounts]) -> PartitionCounts:
        """Totals over several partitions (``offset`` is meaningless there and stays -1)."""
        total = cls()
        for part in parts:
            total.scored += part.scored
            total.pending += part.pending
            total.deduplicated += part.deduplicated
            total.dead_lettered.update(part.dead_lettered)
        return total

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready form, with totals."""
        return {
            "offset": self.offset,
            "scored": self.scored,
            "pending": self.pending,
            "deduplicated": self.deduplicated,
            "dead_lettered": dict(sorted(self.dead_lettered.items())),
            "dead_letters": self.dead_letters,
            "total": self.total,
        }


def side_counts_from_bytes(data: bytes) -> dict[str, PartitionCounts]:
    """The side-input topics' counts that a partition's counts carry (``to_bytes(side)``).

    Args:
        data: partition counts, alone or at the head of a partition checkpoint.

    Returns:
        Counts by topic; empty for counts written without any (an older worker's).

    Raises:
        CorruptCountsError: the bytes are not partition counts.
    """
    try:
        topics = _counts_json(data).get("topics", {})
        return {str(topic): PartitionCounts._from_json(raw) for topic, raw in topics.items()}
    except _NOT_COUNTS as exc:
        raise CorruptCountsError(f"not partition counts: {data[:80]!r}") from exc

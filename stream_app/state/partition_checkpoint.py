"""One source partition's counts and basin states as a single changelog record.

A micro-batch changes both the counts of a partition and the state of the basins keyed to it.
Written as two records, a hard kill between them miscounts the batch or loses its rain
(issue 12). Written as one record, they change together or not at all: Kafka appends a record
whole, and the table recovers the last one per key.

Layout (little-endian): ``FCPK``, the counts' JSON length (u32) and the counts' JSON, so that
``PartitionCounts.from_bytes`` reads the counts of either form; then the number of basins
(u16) and per basin its id (u16 length, UTF-8) and state (u32 length, ``encode_basin_state``).

The same partition of each side-input topic (river levels), co-partitioned with the readings,
is counted in the same record: its counts sit in the counts' JSON under ``"topics"``
(``side_counts_from_bytes``), so a batch's rain, stage and basin states change together.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from stream_app.accounting.partition_counts import (
    CHECKPOINT_MAGIC,
    PartitionCounts,
    side_counts_from_bytes,
)
from stream_app.exceptions import CorruptCountsError

__all__ = ["PartitionCheckpoint"]

_LENGTH = struct.Struct("<I")
_COUNT = struct.Struct("<H")


@dataclass
class PartitionCheckpoint:
    """The counts of one source partition and the state of each basin keyed to it."""

    counts: PartitionCounts = field(default_factory=PartitionCounts)
    states: dict[str, bytes] = field(default_factory=dict)
    """Basin id -> ``encode_basin_state`` bytes."""
    side: dict[str, PartitionCounts] = field(default_factory=dict)
    """Side-input topic -> the counts of its partition with the same number."""

    def to_bytes(self) -> bytes:
        """The changelog value."""
        counts = self.counts.to_bytes(self.side)
        parts = [CHECKPOINT_MAGIC, _LENGTH.pack(len(counts)), counts, _COUNT.pack(len(self.states))]
        for basin_id, state in sorted(self.states.items()):
            name = basin_id.encode()
            parts += [_COUNT.pack(len(name)), name, _LENGTH.pack(len(state)), state]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes | None) -> PartitionCheckpoint:
        """Parse :meth:`to_bytes` output; plain counts JSON (an older worker's) has no states.

        Args:
            data: a changelog value; None or empty gives an empty checkpoint.

        Raises:
            CorruptCountsError: the bytes are neither form.
        """
        if not data:
            return cls()
        counts = PartitionCounts.from_bytes(data)
        side = side_counts_from_bytes(data)
        if not data.startswith(CHECKPOINT_MAGIC):
            return cls(counts, side=side)
        try:
            offset = len(CHECKPOINT_MAGIC)
            offset += _LENGTH.size + _LENGTH.unpack_from(data, offset)[0]
            (n_basins,) = _COUNT.unpack_from(data, offset)
            offset += _COUNT.size
            states = {}
            for _ in range(n_basins):
                (name_len,) = _COUNT.unpack_from(data, offset)
                offset += _COUNT.size
                name = data[offset : offset + name_len].decode()
                offset += name_len
                (state_len,) = _LENGTH.unpack_from(data, offset)
                offset += _LENGTH.size
                states[name] = data[offset : offset + state_len]
                offset += state_len
        except (struct.error, UnicodeDecodeError) as exc:
            raise CorruptCountsError(f"not a partition checkpoint: {data[:80]!r}") from exc
        if offset != len(data):
            raise CorruptCountsError(f"{len(data) - offset} bytes left after the checkpoint")
        return cls(counts, states, side)

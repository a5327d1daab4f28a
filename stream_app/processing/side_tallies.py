"""Counts of the side-input topics (river levels), kept in the readings partitions' checkpoints.

A side-input topic is co-partitioned with the readings: partition ``p`` of each carries the
same basins, whose state lives in the checkpoint of partition ``p``. Each of its partitions has
counts of its own (offsets are per topic), written in that same checkpoint record
(``PartitionCheckpoint.side``) so that state and every topic's counts change together.
"""

from __future__ import annotations

from collections.abc import Callable

from stream_app.accounting.partition_counts import PartitionCounts, side_counts_from_bytes
from stream_app.processing.batch_records import BatchResult, SourceRecord

__all__ = ["SideTallies"]


class SideTallies:
    """One batch's counts of side-input partitions, loaded on first use.

    Args:
        load_counts: stored checkpoint (or counts) bytes by ``str(partition)``.
        result: the batch's result, whose ``side_counts`` name the tallies to write.
    """

    __slots__ = ("_load", "_result", "_tallies")

    def __init__(self, load_counts: Callable[[str], bytes | None], result: BatchResult) -> None:
        self._load = load_counts
        self._result = result
        self._tallies: dict[tuple[str, int], PartitionCounts] = {}

    def get(self, topic: str, partition: int) -> PartitionCounts:
        """The counts of ``topic``'s partition ``partition``, as stored before the batch."""
        key = (topic, partition)
        tally = self._tallies.get(key)
        if tally is None:
            stored = self._load(str(partition))
            found = side_counts_from_bytes(stored).get(topic) if stored else None
            tally = self._tallies[key] = found if found is not None else PartitionCounts()
        return tally

    def counted(self, topic: str, record: SourceRecord) -> PartitionCounts:
        """The counts of ``topic``'s partition of ``record``, marked to be written under it."""
        tally = self.get(topic, record.partition)
        self._result.side_counts[(topic, record.partition)] = (record, tally)
        return tally

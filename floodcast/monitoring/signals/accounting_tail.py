"""The worker's accounting, followed incrementally on its partition-counts changelog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from confluent_kafka import Message

from floodcast.monitoring.signals.topic_tail import TopicTail
from stream_app.accounting.accounting_reader import accounting_changelog
from stream_app.accounting.partition_counts import PartitionCounts, side_counts_from_bytes
from stream_app.exceptions import CorruptCountsError

__all__ = ["AccountingTail", "apply_counts"]


class AccountingTail:
    """Latest counts per source partition, as the changelog holds them (last value wins).

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        app_id: the worker's app id.
        security: librdkafka security properties (SASL/TLS) for the consumer.
    """

    def __init__(
        self, bootstrap_servers: str, app_id: str, *, security: Mapping[str, str] | None = None
    ) -> None:
        self._tail = TopicTail(bootstrap_servers, accounting_changelog(app_id), security=security)
        self.partitions: dict[int, PartitionCounts] = {}
        self.side: dict[int, dict[str, PartitionCounts]] = {}
        """Per source partition, the counts of the side-input topics (river levels)."""
        self.unreadable = 0
        """Changelog records skipped: a key that is no partition number, or value no counts."""

    def poll(self, budget: float = 0.5) -> PartitionCounts:
        """Read what the changelog gained and return the totals over partitions.

        Raises:
            TopicTailError: the broker refused a request.
        """
        messages = list(self._tail.poll(budget))
        self.unreadable += apply_counts(self.partitions, messages)
        for message in messages:
            key, value = message.key(), message.value()
            try:
                if key is not None and value is not None:
                    self.side[int(key)] = side_counts_from_bytes(value)
            except (CorruptCountsError, ValueError):  # counted as unreadable above
                continue
        return self.totals

    def side_totals(self, topic: str) -> PartitionCounts:
        """Counts of side-input topic ``topic`` summed over the partitions read so far."""
        return PartitionCounts.summed(side[topic] for side in self.side.values() if topic in side)

    @property
    def totals(self) -> PartitionCounts:
        """Counts summed over the partitions read so far."""
        return PartitionCounts.summed(self.partitions.values())

    def close(self) -> None:
        self._tail.close()


def apply_counts(partitions: dict[int, PartitionCounts], messages: Iterable[Message]) -> int:
    """Apply changelog records to ``partitions``: the last value per key wins, a tombstone deletes.

    Records that cannot be read are skipped: not ours to repair, the worker logs its own
    corrupt counts.

    Args:
        partitions: counts per source partition, updated in place.
        messages: changelog records, in order.

    Returns:
        How many records were skipped.
    """
    skipped = 0
    for message in messages:
        key, value = message.key(), message.value()
        try:
            partition = int(key) if key is not None else None
            if partition is None:
                skipped += 1
            elif value is None:
                partitions.pop(partition, None)
            else:
                partitions[partition] = PartitionCounts.from_bytes(value)
        except (CorruptCountsError, ValueError):  # int() of a key that is no number
            skipped += 1
    return skipped

"""The worker's accounting, followed incrementally on its partition-counts changelog."""

from __future__ import annotations

from collections.abc import Mapping

from floodcast.monitoring.signals.topic_tail import TopicTail
from stream_app.accounting.accounting_reader import accounting_changelog
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.exceptions import CorruptCountsError

__all__ = ["AccountingTail"]


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

    def poll(self, budget: float = 0.5) -> PartitionCounts:
        """Read what the changelog gained and return the totals over partitions.

        Raises:
            TopicTailError: the broker refused a request.
        """
        for message in self._tail.poll(budget):
            key, value = message.key(), message.value()
            if key is None:
                continue
            if value is None:
                self.partitions.pop(int(key), None)
                continue
            try:
                self.partitions[int(key)] = PartitionCounts.from_bytes(value)
            except (CorruptCountsError, ValueError):
                continue  # not ours to repair; the worker logs its own corrupt counts
        return self.totals

    @property
    def totals(self) -> PartitionCounts:
        """Counts summed over the partitions read so far."""
        return PartitionCounts.summed(self.partitions.values())

    def close(self) -> None:
        self._tail.close()

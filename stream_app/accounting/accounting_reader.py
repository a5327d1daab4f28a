"""Read the worker's accounting from outside: the partition-counts table's changelog topic."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

from stream_app.accounting.partition_counts import PartitionCounts, side_counts_from_bytes
from stream_app.exceptions import AccountingReadError
from stream_app.kafka import changelog_topic

__all__ = [
    "PARTITION_COUNTS_TABLE",
    "AccountingSnapshot",
    "accounting_changelog",
    "read_accounting",
]

PARTITION_COUNTS_TABLE = "partition-counts"


def accounting_changelog(app_id: str) -> str:
    """The partition-counts changelog topic of worker group ``app_id``: the accounting."""
    return changelog_topic(app_id, PARTITION_COUNTS_TABLE)


@dataclass(frozen=True)
class AccountingSnapshot:
    """The latest counts of every source partition, as the changelog holds them: the readings
    topic's in ``partitions``, each side-input topic's (river levels) in ``topics``."""

    partitions: dict[int, PartitionCounts]
    topics: dict[str, dict[int, PartitionCounts]] = field(default_factory=dict)

    @property
    def totals(self) -> PartitionCounts:
        """Counts of the readings topic summed over partitions."""
        return PartitionCounts.summed(self.partitions.values())

    def topic_totals(self, topic: str) -> PartitionCounts:
        """Counts of side-input topic ``topic`` summed over partitions (empty: none yet)."""
        return PartitionCounts.summed(self.topics.get(topic, {}).values())


def read_accounting(
    bootstrap_servers: str,
    app_id: str,
    *,
    timeout: float = 30.0,
    security: Mapping[str, str] | None = None,
) -> AccountingSnapshot:
    """Read the latest partition counts written by the worker group ``app_id``.

    Reads the changelog from its start to the high watermark seen when the call began, keeping
    the last value per key, as Faust does when it recovers the table.

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        app_id: the worker's app id (``Settings.app_id``).
        timeout: seconds allowed for the whole read.
        security: librdkafka security properties
            (``floodcast.kafka_clients.security_config``); none for PLAINTEXT.

    Returns:
        The counts; empty when the worker has not written any yet.

    Raises:
        AccountingReadError: the broker did not answer, or the read did not finish in time.
    """
    topic = accounting_changelog(app_id)
    deadline = time.monotonic() + timeout
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap_servers,
            "group.id": f"floodcast-accounting-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            **(security or {}),
        }
    )
    try:
        latest = _read_latest(consumer, topic, deadline)
        return AccountingSnapshot(
            {p: PartitionCounts.from_bytes(value) for p, value in latest.items()},
            _side_topics(latest),
        )
    except KafkaException as exc:
        raise AccountingReadError(f"reading {topic} from {bootstrap_servers} failed") from exc
    finally:
        consumer.close()


def _side_topics(latest: Mapping[int, bytes]) -> dict[str, dict[int, PartitionCounts]]:
    """Each side-input topic's counts by partition, from the latest checkpoints."""
    topics: dict[str, dict[int, PartitionCounts]] = {}
    for partition, value in latest.items():
        for name, counts in side_counts_from_bytes(value).items():
            topics.setdefault(name, {})[partition] = counts
    return topics


def _read_latest(consumer: Consumer, topic: str, deadline: float) -> dict[int, bytes]:
    """The latest record of each partition of the changelog (a partition's checkpoint)."""
    ranges = _partition_ranges(consumer, topic, deadline)
    latest: dict[int, bytes] = {}
    if not ranges:
        return latest
    consumer.assign([TopicPartition(topic, p, low) for p, (low, _) in ranges.items()])
    remaining = {partition: high for partition, (_, high) in ranges.items()}
    while remaining:
        if time.monotonic() > deadline:
            raise AccountingReadError(f"reading {topic} timed out; partitions left: {remaining}")
        for message in consumer.consume(num_messages=1000, timeout=0.5):
            if message.error() is not None:
                raise AccountingReadError(f"reading {topic}: {message.error()}")
            _apply(latest, message.key(), message.value())
            if message.offset() + 1 >= remaining.get(message.partition(), 0):
                remaining.pop(message.partition(), None)
    return latest


def _partition_ranges(
    consumer: Consumer, topic: str, deadline: float
) -> dict[int, tuple[int, int]]:
    """``partition -> (low, high)`` offsets of the non-empty partitions; {} when no topic."""
    metadata = consumer.list_topics(topic, timeout=max(deadline - time.monotonic(), 0.1))
    topic_metadata = metadata.topics.get(topic)
    error = topic_metadata.error if topic_metadata is not None else None
    if error is not None:
        if error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
            return {}
        raise AccountingReadError(f"no metadata for {topic}: {error}")
    if topic_metadata is None:
        return {}
    ranges = {}
    for partition in topic_metadata.partitions:
        low, high = consumer.get_watermark_offsets(
            TopicPartition(topic, partition), timeout=max(deadline - time.monotonic(), 0.1)
        )
        if high > low:
            ranges[partition] = (low, high)
    return ranges


def _apply(latest: dict[int, bytes], key: bytes | None, value: bytes | None) -> None:
    """Apply one changelog record: the last value per key wins, a tombstone deletes."""
    if key is None:
        return
    if value is None:
        latest.pop(int(key), None)
    else:
        PartitionCounts.from_bytes(value)  # refuse what is not counts as soon as it is read
        latest[int(key)] = value

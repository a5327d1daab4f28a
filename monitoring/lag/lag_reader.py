"""Read a consumer group's lag from the broker: committed offsets, end offsets, message ages."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence

from confluent_kafka import (
    OFFSET_INVALID,
    ConsumerGroupTopicPartitions,
    KafkaException,
    TopicPartition,
)
from confluent_kafka import Consumer as KafkaConsumer
from confluent_kafka.admin import AdminClient

from monitoring.exceptions import LagReadError
from monitoring.lag.partition_lag import GroupLag, PartitionLag

__all__ = ["LagReader"]


class LagReader:
    """Reads lag the way Kafka's consumer-groups tool does, plus the age of the lag.

    Offset lag is the end offset (high watermark) minus the group's committed offset. Time lag
    is the age of the first unconsumed message, read from its own timestamp with a private
    consumer that never joins the group. Interpolating end offsets over time (as
    kafka-lag-exporter does) would drop to zero whenever producers go idle, which is exactly
    when a stopped worker leaves readings waiting.

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        timeout: seconds allowed for each broker request.
        clock: wall clock in epoch seconds.
        security: librdkafka security properties (SASL/TLS), merged into every client.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
        security: Mapping[str, str] | None = None,
    ) -> None:
        self.timeout = timeout
        self.clock = clock
        base = {"bootstrap.servers": bootstrap_servers, **dict(security or {})}
        self._admin = AdminClient(base)
        self._consumer = KafkaConsumer(
            {
                **base,
                # never subscribes and never commits: the group id only satisfies the client
                "group.id": f"floodcast-lag-probe-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                "enable.partition.eof": False,
            }
        )

    def read(self, group: str, topics: Sequence[str]) -> GroupLag:
        """The group's lag on every partition of ``topics``.

        Args:
            group: consumer group id (a Faust worker's is its app id).
            topics: topics to report; a topic that does not exist yet is left out.

        Returns:
            The lag, one entry per partition.

        Raises:
            LagReadError: the broker did not answer in time or refused a request.
        """
        try:
            partitions = self._partitions(topics)
            committed = self._committed(group, partitions)
            members, state = self._group_state(group)
            rows = []
            now = self.clock()
            for tp in partitions:
                low, high = self._consumer.get_watermark_offsets(tp, timeout=self.timeout)
                offset = committed.get((tp.topic, tp.partition))
                start = offset if offset is not None else low
                rows.append(
                    PartitionLag(tp.topic, tp.partition, offset, high, max(high - start, 0), 0.0)
                )
            rows = self._with_ages(rows, now)
        except KafkaException as exc:
            raise LagReadError(f"reading the lag of group {group!r} failed: {exc}") from exc
        return GroupLag(group, tuple(rows), members, state, now)

    def close(self) -> None:
        """Close the private consumer."""
        self._consumer.close()

    def _partitions(self, topics: Sequence[str]) -> list[TopicPartition]:
        found = []
        for topic in topics:
            metadata = self._consumer.list_topics(topic, timeout=self.timeout).topics.get(topic)
            if metadata is None or metadata.error is not None:
                continue
            found += [TopicPartition(topic, p) for p in sorted(metadata.partitions)]
        return found

    def _committed(
        self, group: str, partitions: list[TopicPartition]
    ) -> dict[tuple[str, int], int]:
        if not partitions:
            return {}
        request = ConsumerGroupTopicPartitions(group, partitions)
        future = self._admin.list_consumer_group_offsets([request], request_timeout=self.timeout)[
            group
        ]
        answer = future.result(timeout=self.timeout)
        return {
            (tp.topic, tp.partition): tp.offset
            for tp in answer.topic_partitions
            if tp.error is None and tp.offset != OFFSET_INVALID and tp.offset >= 0
        }

    def _group_state(self, group: str) -> tuple[int, str]:
        future = self._admin.describe_consumer_groups([group], request_timeout=self.timeout)[group]
        description = future.result(timeout=self.timeout)
        state = getattr(description.state, "name", str(description.state))
        return len(description.members or ()), state

    def _with_ages(self, rows: list[PartitionLag], now: float) -> list[PartitionLag]:
        """Fill in the age of the first unconsumed message of every lagging partition."""
        lagging = {(r.topic, r.partition): r.end - r.lag for r in rows if r.lag > 0}
        if not lagging:
            return rows
        self._consumer.assign([TopicPartition(t, p, o) for (t, p), o in lagging.items()])
        stamps: dict[tuple[str, int], float] = {}
        deadline = time.monotonic() + self.timeout
        try:
            while len(stamps) < len(lagging) and time.monotonic() < deadline:
                for message in self._consumer.consume(num_messages=len(lagging), timeout=0.2):
                    key = (message.topic(), message.partition())
                    if message.error() is not None or key in stamps:
                        continue
                    kind, millis = message.timestamp()
                    if kind != 0 and millis >= 0:  # 0 = TIMESTAMP_NOT_AVAILABLE
                        stamps[key] = millis / 1000.0
        finally:
            self._consumer.unassign()
        return [
            _aged(r, now - stamps[(r.topic, r.partition)])
            if (r.topic, r.partition) in stamps
            else r
            for r in rows
        ]


def _aged(row: PartitionLag, seconds: float) -> PartitionLag:
    return PartitionLag(row.topic, row.partition, row.committed, row.end, row.lag, max(seconds, 0))

"""Read a consumer group's lag from the broker: committed offsets, end offsets, message ages."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence

from confluent_kafka import Consumer as KafkaConsumer
from confluent_kafka import KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient

from floodcast.monitoring.exceptions import LagReadError
from floodcast.monitoring.lag.partition_lag import GroupLag, PartitionLag
from floodcast.monitoring.signals.kafka_time import kafka_time

__all__ = ["LagReader"]


class LagReader:
    """Reads lag the way Kafka's consumer-groups tool does, plus the age of the lag.

    Offset lag is the end offset (high watermark) minus the group's committed offset. Time lag
    is the age of the first unconsumed message, read from its own timestamp with a private
    consumer that never joins the group. Interpolating end offsets over time (as
    kafka-lag-exporter does) would drop to zero whenever producers go idle, which is exactly
    when a stopped worker leaves readings waiting.

    Committed offsets are fetched by a consumer in the watched group, never by
    ``AdminClient.list_consumer_group_offsets``: see :meth:`_offsets_consumer`.

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
        self._base = base
        self._admin = AdminClient(base)
        self._offsets_consumers: dict[str, KafkaConsumer] = {}
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
        except (KafkaException, TimeoutError) as exc:
            # TimeoutError: an admin future not resolved within its wait (no KafkaException)
            raise LagReadError(f"reading the lag of group {group!r} failed: {exc!r}") from exc
        return GroupLag(group, tuple(rows), members, state, now)

    def close(self) -> None:
        """Close the private consumers."""
        self._consumer.close()
        for consumer in self._offsets_consumers.values():
            consumer.close()
        self._offsets_consumers.clear()

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
        answer = self._offsets_consumer(group).committed(partitions, timeout=self.timeout)
        return {
            (tp.topic, tp.partition): tp.offset
            for tp in answer
            if tp.error is None and tp.offset >= 0  # OFFSET_INVALID (-1001): none committed
        }

    def _offsets_consumer(self, group: str) -> KafkaConsumer:
        """A consumer in ``group`` that only fetches the group's committed offsets.

        It never subscribes, so it never joins the group, and never commits.

        Not ``AdminClient.list_consumer_group_offsets``: when the coordinator answers that
        admin OffsetFetch with NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE, librdkafka
        (2.16.0, bundled with confluent-kafka 2.16.1; librdkafka issue #5040) asks the
        client's consumer-group handle to look the coordinator up again; an AdminClient has
        none, so librdkafka's main thread dereferences a null pointer and the whole process
        dies of SIGSEGV, with no Python traceback. A broker answers so while it creates or
        loads its offsets topic: a worker's first start on a freshly started broker, with
        the lag monitor in the worker, died that way in 6 of 35 starts. A consumer sends the
        same OffsetFetch through its own group handle, which copes with those answers
        (``committed`` raises, the next round asks again).
        """
        consumer = self._offsets_consumers.get(group)
        if consumer is None:
            consumer = KafkaConsumer(
                {
                    **self._base,
                    "group.id": group,
                    "enable.auto.commit": False,
                    # as kafka-consumer-groups: do not wait for pending transactional commits
                    "isolation.level": "read_uncommitted",
                }
            )
            self._offsets_consumers[group] = consumer
        return consumer

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
                    stamp = kafka_time(message)
                    if stamp is not None:
                        stamps[key] = stamp
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

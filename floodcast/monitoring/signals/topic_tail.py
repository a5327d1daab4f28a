"""Follow a topic's messages from a chosen start, without joining any consumer group."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping

from confluent_kafka import (
    OFFSET_BEGINNING,
    OFFSET_END,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    TopicPartition,
)

from floodcast.monitoring.exceptions import TopicTailError

__all__ = ["TopicTail"]

_REFUSALS = frozenset(
    {
        KafkaError.TOPIC_AUTHORIZATION_FAILED,
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
        KafkaError.SASL_AUTHENTICATION_FAILED,
        KafkaError._AUTHENTICATION,
    }
)
"""Errors that no retry cures: reported, not skipped like transient fetch errors.

Group authorization is not among them: the client looks up a coordinator for the throwaway
group id confluent-kafka requires, but a tail never joins it or commits, so no ACL grants it.
"""


class TopicTail:
    """Reads every partition of ``topic`` from its start, or from ``since`` (epoch seconds).

    The topic may not exist yet (a worker creates its changelogs when it first starts): each
    poll looks again until it does.

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        topic: the topic to follow.
        since: first message time to read; ``None`` reads from the beginning.
        timeout: seconds allowed for metadata and offset requests.
        security: librdkafka security properties (SASL/TLS), merged into the consumer's.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        *,
        since: float | None = None,
        timeout: float = 10.0,
        security: Mapping[str, str] | None = None,
    ) -> None:
        self.topic = topic
        self.since = since
        self.timeout = timeout
        self._assigned = False
        self._next_offset: dict[int, int] = {}
        """Per partition, the offset after the last message read."""
        self._consumer = Consumer(
            {
                "bootstrap.servers": bootstrap_servers,
                **dict(security or {}),
                "group.id": f"floodcast-monitor-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "enable.partition.eof": False,
            }
        )

    def poll(self, budget: float = 0.5, max_messages: int = 50_000) -> list[Message]:
        """Messages that arrived since the last poll (up to ``max_messages``).

        Args:
            budget: seconds to spend at most.
            max_messages: stop after this many (the rest come next poll).

        Raises:
            TopicTailError: the broker refused a request.
        """
        try:
            if not self._assigned and not self._assign():
                return []
            messages: list[Message] = []
            deadline = time.monotonic() + budget
            while len(messages) < max_messages and time.monotonic() < deadline:
                batch = self._consumer.consume(num_messages=5_000, timeout=0.05)
                if not batch:
                    break
                for message in batch:
                    error = message.error()
                    if error is None:
                        messages.append(message)
                        self._next_offset[message.partition()] = message.offset() + 1
                    elif error.fatal() or error.code() in _REFUSALS:
                        raise TopicTailError(f"following {self.topic} refused: {error.str()}")
            return messages
        except KafkaException as exc:
            raise TopicTailError(f"following {self.topic} failed: {exc}") from exc

    def poll_to_end(self, timeout: float) -> list[Message]:
        """Messages that arrived since the last poll, up to the topic's end as of this call.

        Unlike :meth:`poll`, a slow first fetch does not pass for the end of the topic: this
        reads until every partition's position reaches its high watermark.

        Args:
            timeout: seconds to spend at most; what is left comes with the next poll.

        Raises:
            TopicTailError: the broker refused a request.
        """
        deadline = time.monotonic() + timeout
        try:
            if not self._assigned and not self._assign():
                return []
            ends: dict[int, int] = {}
            for tp in self._consumer.assignment():
                low, high = self._consumer.get_watermark_offsets(tp, timeout=timeout)
                start = self._next_offset.get(tp.partition, low)
                # no message at or after `since` when assigned: the end then is the start
                self._next_offset[tp.partition] = high if start == OFFSET_END else max(start, low)
                ends[tp.partition] = high
            behind = {p for p, end in ends.items() if self._next_offset[p] < end}
        except KafkaException as exc:
            raise TopicTailError(f"reading the end of {self.topic} failed: {exc}") from exc
        messages: list[Message] = []
        while behind and time.monotonic() < deadline:
            batch = self.poll(budget=min(1.0, max(deadline - time.monotonic(), 0.0)))
            messages += batch
            behind = {p for p in behind if self._next_offset[p] < ends[p]}
        return messages

    def close(self) -> None:
        self._consumer.close()

    def _assign(self) -> bool:
        metadata = self._consumer.list_topics(self.topic, timeout=self.timeout).topics.get(
            self.topic
        )
        if metadata is not None and metadata.error is not None:
            if metadata.error.code() in _REFUSALS:
                raise TopicTailError(f"following {self.topic} refused: {metadata.error.str()}")
            return False  # e.g. the topic does not exist yet
        if metadata is None or not metadata.partitions:
            return False
        partitions = sorted(metadata.partitions)
        if self.since is None:
            starts = [TopicPartition(self.topic, p, OFFSET_BEGINNING) for p in partitions]
        else:
            millis = int(self.since * 1000)
            starts = self._consumer.offsets_for_times(
                [TopicPartition(self.topic, p, millis) for p in partitions], timeout=self.timeout
            )
            self._next_offset.update((start.partition, start.offset) for start in starts)
        self._consumer.assign(starts)
        self._assigned = True
        return True

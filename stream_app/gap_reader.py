"""Read offsets the stream skipped straight from the broker, with a consumer of our own.

Faust's consumer can skip messages around a rebalance: its fetch loop drops a message whose
delivery a flow suspension interrupts, and after a seek it can drop the re-read ones too,
because the rest of the batch fetched before the seek moves its read offset past them
(``Consumer._drain_messages`` in faust-streaming 0.15.3). Seeking Faust's consumer back from
the agent also calls aiokafka from the wrong thread, which crashed the fetcher with
``KeyError(TopicPartition(...))`` (issue 12). A separate consumer that is assigned the one
partition and reads exactly the missing range has neither problem.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping

from confluent_kafka import Consumer, KafkaException, TopicPartition

from stream_app.exceptions import GapReadError
from stream_app.processing import SourceRecord

__all__ = ["GapRead", "GapReader"]

_POLL_SECONDS = 0.5


class GapRead:
    """The records read for a range, and whether every offset of it was there."""

    __slots__ = ("complete", "records")

    def __init__(self, records: list[SourceRecord], complete: bool) -> None:
        self.records = records
        self.complete = complete


class GapReader:
    """Reads ``[start, end)`` of a partition (blocking; run it off the event loop).

    Args:
        config: confluent-kafka settings (bootstrap servers and security).
        timeout: seconds allowed for one read.
    """

    def __init__(self, config: Mapping[str, str], timeout: float = 30.0) -> None:
        self._config = {
            **config,
            # never joins a group: assign() only, and nothing is committed
            "group.id": f"floodcast-gap-reader-{uuid.uuid4().hex}",
            "enable.auto.commit": "false",
            "auto.offset.reset": "earliest",
        }
        self.timeout = timeout
        self._consumer: Consumer | None = None

    def read(self, topic: str, partition: int, start: int, end: int, context: object) -> GapRead:
        """The records at offsets ``start`` to ``end - 1``.

        Args:
            topic: the topic.
            partition: the partition.
            start: first missing offset.
            end: the first offset the stream did deliver after the gap.
            context: passed on as each record's ``context``.

        Returns:
            The records in offset order; ``complete`` when every offset of the range was read
            (a range deleted by retention, or holding transaction markers, is not).

        Raises:
            GapReadError: the broker did not answer, or the range was not read in time.
        """
        consumer = self._consumer
        if consumer is None:
            consumer = self._consumer = Consumer(self._config)
        deadline = time.monotonic() + self.timeout
        records: list[SourceRecord] = []
        try:
            consumer.assign([TopicPartition(topic, partition, start)])
            while True:
                if time.monotonic() > deadline:
                    raise GapReadError(f"{topic}:{partition} [{start}, {end}) not read in time")
                message = consumer.poll(_POLL_SECONDS)
                if message is None:
                    continue
                if message.error() is not None:
                    raise GapReadError(f"{topic}:{partition}: {message.error()}")
                offset = message.offset()
                if offset >= end:
                    break
                records.append(
                    SourceRecord(topic, partition, offset, message.key(), message.value(), context)
                )
                if offset == end - 1:
                    break
        except KafkaException as exc:
            raise GapReadError(f"reading {topic}:{partition} failed") from exc
        finally:
            consumer.unassign()
        offsets = [record.offset for record in records]
        return GapRead(records, offsets == list(range(start, end)))

    def close(self) -> None:
        """Close the consumer, if one was opened."""
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None

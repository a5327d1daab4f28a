"""Baseline: a raw confluent-kafka consume -> produce copy of a topic, nothing parsed."""

from __future__ import annotations

import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

CONSUME_BATCH = 10_000


def pass_through(
    bootstrap: str, source: str, target: str, *, expected: int, partitions: int
) -> dict[str, float]:
    """Copy ``expected`` messages of ``source`` (from its start) to a new topic ``target``.

    One Consumer (batch ``consume``) and one Producer (``acks=all`` like the worker's), in one
    Python thread: the floor any Python Kafka worker pays before doing anything with a message.
    Partitions are assigned directly (no group join); timed from the assignment, which starts
    the fetching, to the last message acknowledged (``flush``).

    Returns:
        ``seconds``, ``readings_per_s`` and ``messages`` copied.

    Raises:
        RuntimeError: the source ran dry, or a consume or delivery error.
    """
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(target, partitions, 1)])[target].result(timeout=30)
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"bench-pass-through-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    failures: list[KafkaError] = []
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "acks": "all",
            "linger.ms": 5,
            "batch.size": 1_000_000,
            "queue.buffering.max.messages": 1_000_000,
            "delivery.report.only.error": True,
            "on_delivery": lambda error, _message: error is None or failures.append(error),
        }
    )
    try:
        began = time.perf_counter()
        consumer.assign([TopicPartition(source, p, OFFSET_BEGINNING) for p in range(partitions)])
        copied = _copy(consumer, producer, target, expected)
        producer.flush(60)
        seconds = time.perf_counter() - began
    finally:
        consumer.close()
    if failures:
        raise RuntimeError(f"{len(failures)} pass-through deliveries failed: {failures[0]}")
    return {"seconds": seconds, "readings_per_s": copied / seconds, "messages": copied}


def _copy(consumer: Consumer, producer: Producer, target: str, expected: int) -> int:
    """Consume and re-produce until ``expected`` messages went through."""
    produce = producer.produce
    copied = 0
    idle_deadline = time.monotonic() + 60
    while copied < expected:
        messages = consumer.consume(CONSUME_BATCH, timeout=0.5)
        if not messages:
            if time.monotonic() > idle_deadline:
                raise RuntimeError(f"source ran dry after {copied} of {expected} messages")
            continue
        for message in messages:
            if message.error() is not None:
                raise RuntimeError(f"consume error: {message.error()}")
            try:
                produce(target, message.value(), message.key())
            except BufferError:
                producer.poll(0.05)
                produce(target, message.value(), message.key())
        copied += len(messages)
        producer.poll(0)
    return copied

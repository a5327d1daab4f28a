"""Producing readings and reading topics back with confluent-kafka, for worker tests."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable

from confluent_kafka import Consumer, KafkaError, Message, Producer, TopicPartition

from stream_app.accounting import AccountingSnapshot, read_accounting

_TIMEOUT_S = 30.0


def produce(bootstrap: str, topic: str, messages: Iterable[tuple[bytes | None, bytes]]) -> int:
    """Produce ``(key, value)`` pairs in order and wait until every one is acknowledged."""
    producer = Producer(
        {"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5}
    )
    failures: list[KafkaError] = []

    def delivered(error: KafkaError | None, _: Message) -> None:
        if error is not None:
            failures.append(error)

    count = 0
    for key, value in messages:
        while True:
            try:
                producer.produce(topic, key=key, value=value, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.05)
        count += 1
    remaining = producer.flush(_TIMEOUT_S)
    if remaining or failures:
        raise RuntimeError(f"{remaining} messages unsent, delivery errors: {failures[:3]}")
    return count


def consume_all(
    bootstrap: str,
    topic: str,
    *,
    until: Callable[[list[Message]], bool],
    timeout: float = 60.0,
) -> list[Message]:
    """Read ``topic`` from the start until ``until(messages)`` holds.

    Raises:
        TimeoutError: the condition did not hold within ``timeout``.
    """
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"test-reader-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )
    try:
        metadata = consumer.list_topics(topic, timeout=_TIMEOUT_S)
        partitions = sorted(metadata.topics[topic].partitions)
        consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
        messages: list[Message] = []
        deadline = time.monotonic() + timeout
        while not until(messages):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic}: condition not met with {len(messages)} messages")
            for message in consumer.consume(num_messages=10_000, timeout=0.2):
                if message.error() is None:
                    messages.append(message)
        return messages
    finally:
        consumer.close()


def consume_to_end(bootstrap: str, topic: str, timeout: float = 60.0) -> list[Message]:
    """Every message of ``topic`` up to the high watermarks seen when the call begins."""
    probe = Consumer({"bootstrap.servers": bootstrap, "group.id": f"probe-{uuid.uuid4().hex}"})
    try:
        partitions = probe.list_topics(topic, timeout=_TIMEOUT_S).topics[topic].partitions
        ends = {
            p: probe.get_watermark_offsets(TopicPartition(topic, p), timeout=_TIMEOUT_S)[1]
            for p in partitions
        }
    finally:
        probe.close()
    total = sum(ends.values())
    return consume_all(bootstrap, topic, until=lambda ms: len(ms) >= total, timeout=timeout)


def wait_for_accounting(
    bootstrap: str,
    app_id: str,
    condition: Callable[[AccountingSnapshot], bool],
    timeout: float = 90.0,
) -> AccountingSnapshot:
    """Poll the worker's accounting until ``condition`` holds.

    Raises:
        TimeoutError: it did not within ``timeout``; the message shows the last totals.
    """
    deadline = time.monotonic() + timeout
    snapshot = read_accounting(bootstrap, app_id)
    while not condition(snapshot):
        if time.monotonic() > deadline:
            raise TimeoutError(f"accounting never matched; last: {snapshot.totals.as_dict()}")
        time.sleep(0.3)
        snapshot = read_accounting(bootstrap, app_id)
    return snapshot

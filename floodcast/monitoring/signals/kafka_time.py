"""A Kafka message's own timestamp, when it has a usable one."""

from __future__ import annotations

from confluent_kafka import Message

__all__ = ["kafka_time"]


def kafka_time(message: Message) -> float | None:
    """The message's timestamp in epoch seconds; ``None`` when it has none or a negative one.

    A producer may set any 64-bit timestamp: the value is returned as it is (a float), and
    callers bound the ages they compute from it.
    """
    kind, millis = message.timestamp()
    if kind == 0 or millis < 0:  # 0 = TIMESTAMP_NOT_AVAILABLE
        return None
    return millis / 1000.0

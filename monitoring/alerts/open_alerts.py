"""Alerts firing now, as the ops-alerts topic tells (the last transition of each alert)."""

from __future__ import annotations

from collections.abc import Mapping

from monitoring.channels.kafka_channel import record_transitions
from monitoring.signals.topic_tail import TopicTail
from schemas import OpsAlert

__all__ = ["read_open_alerts"]


def read_open_alerts(
    bootstrap_servers: str,
    topic: str,
    budget: float = 3.0,
    *,
    security: Mapping[str, str] | None = None,
) -> list[OpsAlert]:
    """The alerts whose latest transition on ``topic`` is ``firing``, oldest first.

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        topic: the alerts topic.
        budget: seconds to spend reading it.
        security: librdkafka security properties (SASL/TLS) for the consumer.

    Raises:
        TopicTailError: the broker refused a request.
    """
    tail = TopicTail(bootstrap_servers, topic, security=security)
    latest: dict[bytes, OpsAlert] = {}
    try:
        record_transitions(tail.poll(budget, max_messages=1_000_000), latest)
    finally:
        tail.close()
    return sorted((a for a in latest.values() if a.state == "firing"), key=lambda a: a.since)

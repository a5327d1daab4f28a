"""Monitors sharing an alerts topic announce each breach once, on a real broker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from floodcast.monitoring.channels.kafka_channel import KafkaAlertChannel
from floodcast.monitoring.signals.topic_tail import TopicTail
from schemas import OpsAlert
from tests.helpers.alerts import lag_alert

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _alert(state: str, since_s: int, at_s: int) -> OpsAlert:
    return lag_alert(state, T0 + timedelta(seconds=since_s), T0 + timedelta(seconds=at_s))


def _published(bootstrap: str, topic: str) -> list[tuple[str, datetime]]:
    tail = TopicTail(bootstrap, topic)
    try:
        alerts = [OpsAlert.model_validate_json(m.value()) for m in tail.poll_to_end(30)]
    finally:
        tail.close()
    return [(alert.state, alert.at) for alert in alerts]


def test_two_monitors_announce_each_transition_once(
    kafka_bootstrap: str, make_topic: Callable[..., str]
) -> None:
    """The second monitor's firing and resolved of the same breach are left out; a new
    breach after the resolve is announced again."""
    topic = make_topic("alerts", partitions=2)
    first = KafkaAlertChannel(kafka_bootstrap, topic)
    second = KafkaAlertChannel(kafka_bootstrap, topic)
    try:
        first.send(_alert("firing", since_s=0, at_s=60))
        second.send(_alert("firing", since_s=4, at_s=64))  # the same breach, seen a round later
        first.send(_alert("resolved", since_s=0, at_s=300))
        second.send(_alert("resolved", since_s=4, at_s=304))
        second.send(_alert("firing", since_s=900, at_s=960))  # a new breach
    finally:
        first.close()
        second.close()
    assert _published(kafka_bootstrap, topic) == [
        ("firing", T0 + timedelta(seconds=60)),
        ("resolved", T0 + timedelta(seconds=300)),
        ("firing", T0 + timedelta(seconds=960)),
    ]


def test_without_deduplication_every_transition_is_published(
    kafka_bootstrap: str, make_topic: Callable[..., str]
) -> None:
    """``deduplicate=False`` publishes what it is given, repeats included."""
    topic = make_topic("alerts")
    channels = [KafkaAlertChannel(kafka_bootstrap, topic, deduplicate=False) for _ in range(2)]
    try:
        for channel in channels:
            channel.send(_alert("firing", since_s=0, at_s=60))
    finally:
        for channel in channels:
            channel.close()
    assert [state for state, _ in _published(kafka_bootstrap, topic)] == ["firing", "firing"]

"""The alerts channel reports a topic it cannot create as AlertPublishError, never raw."""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from floodcast.monitoring.channels import kafka_channel
from floodcast.monitoring.channels.kafka_channel import KafkaAlertChannel
from floodcast.monitoring.exceptions import AlertPublishError


class _SlowAdmin:
    """An admin client whose topic creation never completes."""

    def __init__(self, config: dict[str, str]) -> None:
        self.config = config

    def list_topics(self, timeout: float) -> object:
        return type("Metadata", (), {"topics": {}})()

    def create_topics(self, topics: list, operation_timeout: float) -> dict[str, Future]:
        return {topic.topic: Future() for topic in topics}


def test_a_creation_that_times_out_is_an_alert_publish_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A future that never resolves ends in AlertPublishError, so the monitor round survives."""
    monkeypatch.setattr(kafka_channel, "AdminClient", _SlowAdmin)
    channel = KafkaAlertChannel("127.0.0.1:9", "alerts", timeout=0.05)
    with pytest.raises(AlertPublishError, match="cannot check or create alerts"):
        channel.ensure_topic(partitions=1, replication_factor=1)

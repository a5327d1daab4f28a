"""``floodcast status`` shows lag per partition and the open alerts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from floodcast.monitoring import KafkaAlertChannel
from floodcast.worker_process import settings_env
from schemas import OpsAlert
from schemas.settings import Settings
from tests.fixtures.broker import TopicFactory

pytestmark = pytest.mark.integration


def test_status_shows_lag_and_open_alerts(
    kafka_bootstrap: str, make_topic: TopicFactory, worker_settings: Settings
) -> None:
    """A group 4 messages behind and one firing (one resolved) alert appear on the screen."""
    readings = make_topic("status-readings", partitions=1)
    alerts_topic = make_topic("status-alerts", partitions=1)
    settings = worker_settings.model_copy(
        update={"topic_readings": readings, "topic_alerts": alerts_topic}
    )
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    for i in range(10):
        producer.produce(readings, value=b'{"gauge_id": "g%d", "basin_id": "b"}' % (i % 2))
    assert producer.flush(15) == 0
    consumer = Consumer({"bootstrap.servers": kafka_bootstrap, "group.id": settings.app_id})
    try:
        consumer.commit(offsets=[TopicPartition(readings, 0, 6)], asynchronous=False)
    finally:
        consumer.close()
    now = datetime.now(UTC)
    channel = KafkaAlertChannel(kafka_bootstrap, alerts_topic)
    for kind, state in (
        ("gauge_offline", "firing"),
        ("error_rate", "firing"),
        ("error_rate", "resolved"),
    ):
        channel.send(
            OpsAlert(
                kind=kind,
                severity="warning",
                state=state,
                value=9.0,
                threshold=1.0,
                since=now,
                at=now,
                summary=f"{kind} test alert",
            )
        )
    channel.close()

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from floodcast.cli import main; main()",
            "status",
            "--sample",
            "0.5",
        ],
        env={**os.environ, **settings_env(settings), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    screen = done.stdout
    row = next(line for line in screen.splitlines() if readings in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    # topic, partition, committed, end, lag, then the age of the oldest unconsumed message
    assert cells[:5] == [readings, "0", "6", "10", "4"], screen
    assert float(cells[5]) >= 0
    assert "open alerts (1)" in screen
    assert "gauge_offline test alert" in screen
    assert "error_rate test alert" not in screen

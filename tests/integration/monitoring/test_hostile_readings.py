"""Issue 12 on a real broker: ``floodcast monitor`` reads past any message on gauge-readings
(one deeply nested JSON value stopped it with RecursionError) and goes on alerting."""

from __future__ import annotations

import json
import time

import pytest
from confluent_kafka.admin import AdminClient, NewTopic

from schemas.settings import Settings
from tests.integration.monitoring.alert_watch import AlertWatch
from tests.integration.monitoring.conftest import MonitorFactory
from tests.integration.monitoring.gauge_feed import GaugeFeed
from tests.integration.monitoring.test_alerts import alerts  # noqa: F401 - the fixture
from tests.integration.stream_app.kafka_io import produce

pytestmark = pytest.mark.integration

HOSTILE = [
    b"[" * 200_000 + b"]" * 200_000,
    b'{"gauge_id":"g","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b"\xff\xfe\x00",
    json.dumps({"gauge_id": "x" * 10_000, "basin_id": "toy"}).encode(),
    json.dumps({"gauge_id": "toy-G1", "basin_id": "b" * 5_000}).encode(),
    b"",
]


def test_monitor_reads_past_hostile_readings_and_still_alerts(
    monitor_settings: Settings,
    kafka_admin: AdminClient,
    start_monitor: MonitorFactory,
    alerts: AlertWatch,  # noqa: F811
) -> None:
    """After hostile messages among the readings the monitor is still running, and a silent
    gauge still fires gauge-offline, for that gauge only."""
    settings = monitor_settings
    topic = NewTopic(settings.topic_readings, num_partitions=settings.readings_partitions)
    kafka_admin.create_topics([topic])[settings.topic_readings].result(timeout=30)
    with GaugeFeed(settings.bootstrap_servers, settings.topic_readings) as feed:
        monitor = start_monitor(settings)
        monitor.wait_for_rounds(2)
        produce(settings.bootstrap_servers, settings.topic_readings, [(b"toy", v) for v in HOSTILE])
        monitor.wait_for_rounds(3)
        assert monitor.process.poll() is None
        feed.silenced.add("toy-G3")
        silenced = time.time()
        fired = alerts.wait_for("gauge_offline", "firing", timeout=30)
    assert monitor.process.poll() is None
    assert fired.at.timestamp() > silenced
    assert fired.labels == {"gauge_id": "toy-G3", "basin_id": "toy"}
    offline = {a.labels["gauge_id"] for a in alerts.seen if a.kind == "gauge_offline"}
    assert offline == {"toy-G3"}
    assert not [e for e in monitor.events() if e.get("event") == "monitor_round_failed"]

"""``floodcast monitor`` raises and resolves alerts on a real broker, worker or not."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from confluent_kafka.admin import AdminClient, NewTopic

from floodcast.monitoring import LagReader
from schemas.settings import Settings
from tests.fixtures.broker import KafkaTool
from tests.integration.monitoring.alert_watch import AlertWatch
from tests.integration.monitoring.conftest import MonitorFactory
from tests.integration.monitoring.gauge_feed import GaugeFeed
from tests.integration.monitoring.test_lag_reader import reader_lag, tool_lag
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.kafka_io import wait_for_accounting

pytestmark = pytest.mark.integration


@pytest.fixture
def alerts(monitor_settings: Settings) -> Iterator[AlertWatch]:
    """The test's ops-alerts topic, followed from its start."""
    watch = AlertWatch(monitor_settings.bootstrap_servers, monitor_settings.topic_alerts)
    yield watch
    watch.close()


def report(name: str, seconds: float) -> None:
    """Print a measured alert timing (shown with ``pytest -s``)."""
    print(f"[alert timing] {name}: {seconds:.1f} s")


def test_stopped_worker_raises_lag_alert_and_restart_resolves_it(
    monitor_settings: Settings,
    start_worker: WorkerFactory,
    start_monitor: MonitorFactory,
    alerts: AlertWatch,
    kafka_tool: KafkaTool,
) -> None:
    """With gauges still reporting, stopping the worker fires the lag alerts (lag equal to
    kafka-consumer-groups'), and restarting it resolves them."""
    settings = monitor_settings
    worker = start_worker(settings)
    with GaugeFeed(settings.bootstrap_servers, settings.topic_readings) as feed:
        monitor = start_monitor(settings)
        wait_for_accounting(settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total)
        monitor.wait_for_rounds(6)  # a few healthy rounds
        assert not [a for a in alerts.wait_all() if a.kind.startswith("consumer_lag")]

        stopped = time.time()
        worker.stop()
        fired = alerts.wait_for("consumer_lag_messages", "firing", timeout=60)
        monitor.wait_for(lambda e: e.get("event") == "lag_status" and e["status"] == "STOP")
        report("lag (messages) fire after worker stop", fired.at.timestamp() - stopped)
        aged = alerts.wait_for("consumer_lag_seconds", "firing", timeout=60)
        report("lag (seconds) fire after worker stop", aged.at.timestamp() - stopped)
        assert fired.value > settings.alert_lag_messages
        assert aged.value > settings.alert_lag_seconds

        feed.pause()
        time.sleep(0.5)
        reader = LagReader(settings.bootstrap_servers)
        try:
            ours = reader_lag(reader.read(settings.app_id, [settings.topic_readings]))
        finally:
            reader.close()
        # the tool lists the partitions the group committed; the others hold nothing here
        committed = {tp: row for tp, row in ours.items() if row[0] >= 0}
        assert committed == tool_lag(kafka_tool, settings.app_id)
        assert all(lag == 0 for tp, (_, _, lag) in ours.items() if tp not in committed)
        assert sum(lag for _, _, lag in ours.values()) > settings.alert_lag_messages
        feed.resume()

        restarted = time.time()
        worker.start()
        try:
            resolved = alerts.wait_for("consumer_lag_messages", "resolved", timeout=90)
        except TimeoutError as exc:  # say what the restarted worker and the monitor did
            raise TimeoutError(
                f"{exc}\nworker log:\n{worker.log_tail(80)}\n"
                f"monitor log:\n{monitor.log_path.read_text(errors='replace')[-4000:]}"
            ) from exc
        report("lag (messages) resolve after worker restart", resolved.at.timestamp() - restarted)
        resolved_age = alerts.wait_for("consumer_lag_seconds", "resolved", timeout=90)
        report("lag (seconds) resolve after restart", resolved_age.at.timestamp() - restarted)
        assert resolved.value <= settings.alert_lag_messages
        assert resolved.since == fired.since
    assert [a.state for a in alerts.seen if a.kind == "consumer_lag_messages"] == [
        "firing",
        "resolved",
    ]


def test_malformed_burst_fires_error_rate_until_it_leaves_the_window(
    monitor_settings: Settings,
    start_worker: WorkerFactory,
    start_monitor: MonitorFactory,
    alerts: AlertWatch,
) -> None:
    """A burst of malformed readings among good ones fires the error-rate alert once; it
    resolves after the burst has left the window."""
    settings = monitor_settings
    start_worker(settings)
    with GaugeFeed(settings.bootstrap_servers, settings.topic_readings) as feed:
        monitor = start_monitor(settings)
        wait_for_accounting(settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total)
        monitor.wait_for_rounds(4)
        burst_at = time.time()
        feed.burst(300)
        fired = alerts.wait_for("error_rate", "firing", timeout=30)
        report("error rate fire after burst", fired.at.timestamp() - burst_at)
        resolved = alerts.wait_for("error_rate", "resolved", timeout=30)
        report("error rate resolve after burst", resolved.at.timestamp() - burst_at)
    assert fired.value > settings.alert_error_rate
    assert resolved.value <= settings.alert_error_rate
    assert [a.state for a in alerts.seen if a.kind == "error_rate"] == ["firing", "resolved"]


def test_silent_gauge_fires_gauge_offline(
    monitor_settings: Settings,
    kafka_admin: AdminClient,
    start_monitor: MonitorFactory,
    alerts: AlertWatch,
) -> None:
    """One gauge falling silent fires gauge-offline for that gauge only (no worker needed);
    it resolves when the gauge reports again."""
    settings = monitor_settings
    topic = NewTopic(settings.topic_readings, num_partitions=settings.readings_partitions)
    kafka_admin.create_topics([topic])[settings.topic_readings].result(timeout=30)
    with GaugeFeed(settings.bootstrap_servers, settings.topic_readings) as feed:
        start_monitor(settings).wait_for_rounds(2)
        silenced = time.time()
        feed.silenced.add("toy-G3")
        fired = alerts.wait_for("gauge_offline", "firing", timeout=30)
        report("gauge offline fire after silence", fired.at.timestamp() - silenced)
        time.sleep(1.0)
        back = time.time()
        feed.silenced.clear()
        resolved = alerts.wait_for("gauge_offline", "resolved", timeout=30)
        report("gauge offline resolve after gauge returns", resolved.at.timestamp() - back)
    assert fired.labels == {"gauge_id": "toy-G3", "basin_id": "toy"}
    assert fired.value > settings.alert_gauge_offline_seconds
    assert [(a.state, a.labels["gauge_id"]) for a in alerts.seen if a.kind == "gauge_offline"] == [
        ("firing", "toy-G3"),
        ("resolved", "toy-G3"),
    ]

"""The API and the monitor on the SASL_SSL broker, each as its own least-privileged principal."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from floodcast.api.latest_predictions import GROUP_PREFIX, LatestPredictions, PredictionsFollower
from floodcast.api.web.live_feeds import live_feeds
from floodcast.api.web.live_hub import LiveHub
from floodcast.kafka_local import create_acls, monitor_acls
from floodcast.monitoring import AlertPublishError, KafkaAlertChannel, Monitor, TopicTailError
from floodcast.monitoring.signals.topic_tail import TopicTail
from schemas import OpsAlert
from stream_app.accounting import accounting_reader
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.kafka import security_config
from tests.fixtures.secured_broker import (
    SECURED_TIMEOUT_S,
    SecuredBroker,
    first_consume_error,
    produce_one,
)
from tests.helpers.predictions import empty_path_prediction
from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes

pytestmark = [pytest.mark.integration, pytest.mark.slow]

_SCORED = 7
"""Readings the accounting changelog says were scored."""


@pytest.fixture(scope="module")
def accounting_changelog(secured_broker: SecuredBroker) -> str:
    """The worker's partition-counts changelog, holding one partition's counts."""
    topic = accounting_reader.accounting_changelog(secured_broker.settings.app_id)
    admin = AdminClient(secured_broker.client("admin"))
    admin.create_topics([NewTopic(topic, num_partitions=1)])[topic].result(SECURED_TIMEOUT_S)
    counts = PartitionCounts(offset=_SCORED - 1, scored=_SCORED).to_bytes()
    producer = Producer(secured_broker.client("admin"))
    producer.produce(topic, counts, key=b"0")  # the key is the source partition
    assert producer.flush(SECURED_TIMEOUT_S) == 0
    return topic


def test_api_follower_holds_the_latest_prediction(secured_broker: SecuredBroker) -> None:
    """As ``api``, the follower reads what ``worker`` published and keeps each basin's newest."""
    topic = secured_broker.settings.topic_predictions
    upland, lowland = f"upland-{uuid.uuid4().hex[:6]}", f"lowland-{uuid.uuid4().hex[:6]}"
    for prediction in (
        empty_path_prediction(upland, 3),
        empty_path_prediction(upland, 1),
        empty_path_prediction(lowland, 2),
    ):
        value = prediction.model_dump_json().encode()
        assert produce_one(secured_broker.client("worker"), topic, value) is None

    store = LatestPredictions()
    follower = PredictionsFollower(
        secured_broker.config.bootstrap,
        topic,
        store,
        client_config=security_config(secured_broker.settings_as("api")),
    )
    follower.start()
    try:
        assert follower.wait_caught_up(SECURED_TIMEOUT_S), "the follower never caught up"
    finally:
        follower.stop()
    assert store.get(upland) == empty_path_prediction(upland, 3)
    assert store.get(lowland) == empty_path_prediction(lowland, 2)


def test_api_may_not_write_predictions(secured_broker: SecuredBroker) -> None:
    """The ``api`` principal is refused producing to the predictions topic."""
    topic = secured_broker.settings.topic_predictions
    error = produce_one(secured_broker.client("api"), topic, b"{}")
    assert error is not None
    assert error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_api_may_not_read_readings(secured_broker: SecuredBroker) -> None:
    """In a group it may use, the ``api`` principal is still refused reading the readings."""
    config = secured_broker.client("api", **{"group.id": f"{GROUP_PREFIX}{uuid.uuid4().hex}"})
    code = first_consume_error(config, secured_broker.settings.topic_readings, subscribe=True)
    assert code == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_api_may_not_use_groups_outside_its_prefix(secured_broker: SecuredBroker) -> None:
    """The ``api`` principal is refused joining the worker's group to read predictions."""
    settings = secured_broker.settings
    config = secured_broker.client("api", **{"group.id": settings.app_id})
    code = first_consume_error(config, settings.topic_predictions, subscribe=True)
    assert code == KafkaError.GROUP_AUTHORIZATION_FAILED


def test_operator_page_feeds_report_what_api_may_not_read(secured_broker: SecuredBroker) -> None:
    """As ``api``, the operator page's followers of the alerts and the readings are refused,
    and the hub's status names both, for the page's banner."""
    hub = LiveHub()
    feeds = live_feeds(secured_broker.settings_as("api"), hub)
    for feed in feeds:
        feed.start()
    try:
        deadline = time.monotonic() + 60
        while set(hub.status([])["feed_failures"]) != {"alerts", "gauge readings"}:  # type: ignore[call-overload]
            assert time.monotonic() < deadline, hub.status([])["feed_failures"]
            time.sleep(0.2)
        failures = hub.status([])["feed_failures"]
        assert all("authoriz" in str(f).lower() for f in failures.values()), failures  # type: ignore[union-attr]
    finally:
        for feed in feeds:
            feed.stop()


@pytest.mark.parametrize("principal", ["monitor", "worker"])
def test_monitor_follows_every_topic_it_watches(
    secured_broker: SecuredBroker, accounting_changelog: str, principal: str
) -> None:
    """Standalone (``monitor``) or in the worker (``worker``), the monitor reads readings, the
    accounting changelog, predictions, flood observations and the alerts (the alerts channel
    leaves out transitions another monitor published; floodcast status lists open alerts)."""
    settings = secured_broker.settings
    topics = [
        settings.topic_readings,
        accounting_changelog,
        settings.topic_predictions,
        settings.topic_observations,
        settings.topic_alerts,
    ]
    marker = uuid.uuid4().hex.encode()
    for topic in topics:
        assert produce_one(secured_broker.client("admin"), topic, marker) is None
    security = security_config(secured_broker.settings_as(principal))
    unread = []
    for topic in topics:
        tail = TopicTail(secured_broker.config.bootstrap, topic, security=security)
        try:
            deadline = time.monotonic() + SECURED_TIMEOUT_S
            while time.monotonic() < deadline:
                if marker in [message.value() for message in tail.poll()]:
                    break
            else:
                unread.append(topic)
        finally:
            tail.close()
    assert unread == []


def _read_alerts(secured_broker: SecuredBroker) -> list[OpsAlert]:
    """Every alert on the alerts topic, read as ``admin``."""
    topic = secured_broker.settings.topic_alerts
    consumer = Consumer(secured_broker.client("admin", **{"group.id": uuid.uuid4().hex}))
    consumer.assign([TopicPartition(topic, 0, 0)])
    alerts: list[OpsAlert] = []
    try:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), SECURED_TIMEOUT_S)
        deadline = time.monotonic() + SECURED_TIMEOUT_S
        read = 0
        while read < high and time.monotonic() < deadline:
            for message in consumer.consume(num_messages=500, timeout=0.2):
                if message.error() is not None:
                    continue
                read += 1
                try:
                    alerts.append(OpsAlert.model_validate_json(message.value() or b""))
                except ValueError:
                    continue  # the markers other tests leave
    finally:
        consumer.close()
    return alerts


@pytest.mark.parametrize("principal", ["monitor", "worker"])
def test_monitor_reads_the_worker_lag_and_publishes_an_alert(
    secured_broker: SecuredBroker, accounting_changelog: str, principal: str, tmp_path: Path
) -> None:
    """A monitor round as ``principal`` sees the worker group's committed offset, lag (on each
    of its input topics) and accounting, and the lag alert it raises lands on the alerts
    topic."""
    settings = secured_broker.settings
    readings = settings.topic_readings
    producer = Producer(secured_broker.client("admin"))
    for slot in range(5):
        producer.produce(readings, reading_bytes(TOY_GAUGES[0], slot), key=b"toy")
    assert producer.flush(SECURED_TIMEOUT_S) == 0
    committer = Consumer(secured_broker.client("worker", **{"group.id": settings.app_id}))
    try:
        _, high = committer.get_watermark_offsets(TopicPartition(readings, 0), SECURED_TIMEOUT_S)
        committer.commit(offsets=[TopicPartition(readings, 0, high - 3)], asynchronous=False)
    finally:
        committer.close()

    watcher_settings = secured_broker.settings_as(
        principal,
        alert_lag_messages=1,
        alert_for_seconds=0.0,
        model_path=tmp_path / "no-package",  # a monitor may run where no model is installed
    )
    channel = KafkaAlertChannel(
        watcher_settings.bootstrap_servers,
        settings.topic_alerts,
        security=security_config(watcher_settings),
    )
    if principal == "monitor":
        channel.ensure_topic(partitions=1, replication_factor=1)  # as `floodcast monitor` does
    watcher = Monitor(watcher_settings, [channel])
    emitted: list[OpsAlert] = []
    try:
        deadline = time.monotonic() + SECURED_TIMEOUT_S
        while True:
            report = watcher.poll()
            emitted += report.emitted
            if report.counts.scored == _SCORED or time.monotonic() > deadline:
                break
    finally:
        watcher.close()

    assert report.lag is not None
    rows = report.lag.by_partition()
    row = rows[(readings, 0)]
    assert (row.topic, row.committed, row.end, row.lag) == (readings, high - 3, high, 3)
    sides = {settings.topic_river_levels, settings.topic_rain_forecasts}
    assert {topic for topic, _ in rows} == {readings, *sides}  # all three inputs, allowed
    assert sum(lag.lag for (topic, _), lag in rows.items() if topic in sides) == 0
    assert report.counts.scored == _SCORED
    [lag_alert] = [a for a in emitted if a.kind == "consumer_lag_messages"]
    assert (lag_alert.state, lag_alert.value) == ("firing", 3.0)
    assert lag_alert in _read_alerts(secured_broker)


def test_monitor_creates_its_alerts_topic_but_no_other(secured_broker: SecuredBroker) -> None:
    """With the alerts topic missing the monitor creates it, and only that one."""
    settings = secured_broker.settings
    own = f"ops-alerts-{uuid.uuid4().hex[:8]}"
    other = f"ops-alerts-{uuid.uuid4().hex[:8]}"
    admin = AdminClient(secured_broker.client("admin"))
    grants = monitor_acls("monitor", watched_group=settings.app_id, follows=[], alerts=own)
    create_acls(admin, grants)
    security = security_config(secured_broker.settings_as("monitor"))
    bootstrap = secured_broker.config.bootstrap
    KafkaAlertChannel(bootstrap, own, security=security).ensure_topic(1, 1)
    with pytest.raises(AlertPublishError):
        KafkaAlertChannel(bootstrap, other, security=security).ensure_topic(1, 1)
    existing = admin.list_topics(timeout=SECURED_TIMEOUT_S).topics
    assert own in existing
    assert other not in existing


def test_monitor_may_not_write_readings(secured_broker: SecuredBroker) -> None:
    """The ``monitor`` principal is refused producing gauge readings."""
    topic = secured_broker.settings.topic_readings
    error = produce_one(secured_broker.client("monitor"), topic, b"{}")
    assert error is not None
    assert error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_monitor_may_not_join_the_worker_group(secured_broker: SecuredBroker) -> None:
    """Describing the worker's group does not let the ``monitor`` principal consume in it."""
    settings = secured_broker.settings
    config = secured_broker.client("monitor", **{"group.id": settings.app_id})
    code = first_consume_error(config, settings.topic_readings, subscribe=True)
    assert code == KafkaError.GROUP_AUTHORIZATION_FAILED


def test_a_tail_refused_by_the_acls_says_so(secured_broker: SecuredBroker) -> None:
    """Following a topic the principal may not read is an error, not an empty topic."""
    security = security_config(secured_broker.settings_as("emulator"))
    topic = secured_broker.settings.topic_predictions
    tail = TopicTail(secured_broker.config.bootstrap, topic, security=security)
    try:
        with pytest.raises(TopicTailError, match="refused"):
            deadline = time.monotonic() + SECURED_TIMEOUT_S
            while time.monotonic() < deadline:
                tail.poll()
    finally:
        tail.close()

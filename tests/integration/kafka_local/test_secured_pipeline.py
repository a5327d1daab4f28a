"""The real worker and the emulator's publisher run on the SASL_SSL broker as their own users."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Message, Producer, TopicPartition

from floodcast.emulator.kafka_publisher import KafkaPublisher
from floodcast.emulator.producer_tuning import ProducerTuning
from floodcast.monitoring.lag.lag_reader import LagReader
from floodcast.monitoring.signals.topic_tail import TopicTail
from floodcast.worker_process import WorkerProcess
from schemas import FloodPathPrediction
from stream_app.accounting import read_accounting
from stream_app.kafka import security_config
from tests.fixtures.secured_broker import SecuredBroker
from tests.integration.stream_app.reference import prediction_key, reference_predictions
from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes
from tests.unit.stream_app.toy_package import write_toy_package

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SLOTS = 40
_TIMEOUT_S = 45.0


def _read_until(config: dict[str, str], topic: str, count: int) -> list[Message]:
    """Read ``topic``'s one partition from the start until ``count`` messages arrived."""
    consumer = Consumer(
        {**config, "group.id": f"probe-{uuid.uuid4().hex}", "enable.auto.commit": False}
    )
    messages: list[Message] = []
    try:
        consumer.assign([TopicPartition(topic, 0, 0)])
        deadline = time.monotonic() + _TIMEOUT_S
        while len(messages) < count and time.monotonic() < deadline:
            for message in consumer.consume(num_messages=1000, timeout=0.2):
                if message.error() is not None:
                    pytest.fail(f"reading {topic}: {message.error()}")
                messages.append(message)
    finally:
        consumer.close()
    return messages


def test_worker_scores_what_the_emulator_publishes(
    secured_broker: SecuredBroker, tmp_path: Path
) -> None:
    """Readings produced as ``emulator`` are all scored by a worker running as ``worker``, whose
    predictions and accounting match the reference."""
    topics = secured_broker.settings
    worker_settings = secured_broker.settings_as(
        "worker",
        readings_partitions=1,
        batch_size=200,
        batch_window_seconds=0.1,
        worker_web_enabled=False,
        monitor_in_worker=False,
        metrics_enabled=False,
        model_path=write_toy_package(tmp_path / "package"),
        log_level="INFO",
    )
    messages = [
        (b"toy", reading_bytes(g, s, rain=2.0 if 5 <= s < 15 else 0.0))
        for s in range(SLOTS)
        for g in TOY_GAUGES
    ]
    worker = WorkerProcess(worker_settings, tmp_path / "worker.log")
    worker.start()
    try:
        publisher = KafkaPublisher(
            secured_broker.config.bootstrap,
            ProducerTuning(linger_ms=5),
            security_config(secured_broker.settings_as("emulator")),
        )
        try:
            publisher.ensure_topics({topics.topic_readings: 1}, create=False, replication_factor=1)
            publisher.send(topics.topic_readings, messages)
            publisher.flush()
        finally:
            publisher.close()
        assert publisher.failures == 0

        expected = reference_predictions(worker_settings, messages)
        admin = secured_broker.client("admin")
        published = _read_until(admin, topics.topic_predictions, len(expected))
        predictions = [FloodPathPrediction.model_validate_json(m.value()) for m in published]
        assert [prediction_key(p) for p in predictions] == expected

        deadline = time.monotonic() + _TIMEOUT_S
        admin_security = secured_broker.security.client_config("admin")
        snapshot = read_accounting(
            secured_broker.config.bootstrap, topics.app_id, security=admin_security
        )
        while snapshot.totals.total < len(messages) and time.monotonic() < deadline:
            time.sleep(0.3)
            snapshot = read_accounting(
                secured_broker.config.bootstrap, topics.app_id, security=admin_security
            )
    finally:
        worker.stop()
    assert snapshot.totals.total == len(messages)
    assert snapshot.totals.scored == len(messages)
    assert snapshot.totals.pending == 0


def test_monitor_reads_lag_as_the_worker(secured_broker: SecuredBroker) -> None:
    """The lag reader and a topic tail, authenticated as ``worker``, read the readings topic's
    end offset, a worker group's committed offset and lag, and the readings themselves."""
    topics = secured_broker.settings
    worker = security_config(secured_broker.settings_as("worker"))
    producer = Producer(secured_broker.client("admin"))
    for slot in range(5):
        producer.produce(topics.topic_readings, reading_bytes(TOY_GAUGES[0], slot), key=b"toy")
    assert producer.flush(_TIMEOUT_S) == 0

    bootstrap = secured_broker.config.bootstrap
    # a group under the worker's app-id prefix, committed two messages past the start
    group = f"{topics.app_id}-lag-{uuid.uuid4().hex[:8]}"
    committer = Consumer({"bootstrap.servers": bootstrap, **worker, "group.id": group})
    try:
        low, high = committer.get_watermark_offsets(
            TopicPartition(topics.topic_readings, 0), timeout=_TIMEOUT_S
        )
        committer.commit(
            offsets=[TopicPartition(topics.topic_readings, 0, low + 2)], asynchronous=False
        )
    finally:
        committer.close()

    reader = LagReader(bootstrap, timeout=_TIMEOUT_S, security=worker)
    try:
        lag = reader.read(group, [topics.topic_readings])
    finally:
        reader.close()
    [row] = lag.partitions
    assert (row.topic, row.committed, row.end, row.lag) == (
        topics.topic_readings,
        low + 2,
        high,
        high - low - 2,
    )
    assert row.seconds > 0  # the first unconsumed reading's age was read

    tail = TopicTail(bootstrap, topics.topic_readings, timeout=_TIMEOUT_S, security=worker)
    try:
        read: list[Message] = []
        deadline = time.monotonic() + _TIMEOUT_S
        while len(read) < high - low and time.monotonic() < deadline:
            read += tail.poll()
    finally:
        tail.close()
    assert len(read) == high - low

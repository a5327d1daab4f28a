"""KafkaPublisher and ProducerTuning without a broker: settings, refusals and failure counting."""

from __future__ import annotations

import socket

import pytest
from confluent_kafka import KafkaError
from pydantic import ValidationError

from floodcast.emulator import (
    BrokerUnavailableError,
    DeliveryError,
    DeliveryFailedError,
    EmulatorReport,
    KafkaPublisher,
    ProducerConfigError,
    ProducerTuning,
)
from floodcast.emulator.emission_tally import EmissionTally


def _closed_port() -> str:
    """A loopback address nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def test_producer_is_idempotent_with_acks_all() -> None:
    """The producer always runs idempotent, acks=all, with failure-only delivery reports."""
    publisher = KafkaPublisher(_closed_port(), ProducerTuning())
    settings = publisher.settings
    assert settings["enable.idempotence"] == "True"
    assert settings["acks"] == "all"
    assert settings["delivery.report.only.error"] == "True"
    assert settings["partitioner"] == "murmur2_random"
    assert settings["compression.type"] == "lz4"
    assert int(settings["linger.ms"]) > 0
    assert "on_delivery" not in settings


def test_extra_cannot_override_what_the_emulator_owns() -> None:
    """Turning idempotence or acks off through ``extra`` is refused."""
    for key, value in (("enable.idempotence", False), ("acks", "1")):
        with pytest.raises(ValidationError, match=key):
            ProducerTuning(extra={key: value})


def test_extra_reaches_librdkafka() -> None:
    """Other librdkafka properties pass through unchanged."""
    publisher = KafkaPublisher(_closed_port(), ProducerTuning(extra={"client.id": "gauges-7"}))
    assert publisher.settings["client.id"] == "gauges-7"


def test_invalid_property_is_a_producer_config_error() -> None:
    """librdkafka's refusal of a setting surfaces as ProducerConfigError, cause kept."""
    with pytest.raises(ProducerConfigError) as caught:
        KafkaPublisher(_closed_port(), ProducerTuning(extra={"socket.timeout.ms": "soon"}))
    assert caught.value.__cause__ is not None


def test_unreachable_broker_fails_fast() -> None:
    """Checking topics on a broker that does not answer raises BrokerUnavailableError."""
    publisher = KafkaPublisher(_closed_port(), ProducerTuning())
    with pytest.raises(BrokerUnavailableError):
        publisher.ensure_topics({"t": 1}, create=True, replication_factor=1, timeout_s=1.0)


def test_undelivered_messages_are_counted_as_failures() -> None:
    """Messages that time out are counted, kept as typed errors, and fail the report."""
    publisher = KafkaPublisher(_closed_port(), ProducerTuning(message_timeout_ms=300))
    assert publisher.send("t", [(b"k", b"v%d" % i) for i in range(5)]) == 5
    publisher.flush(timeout_s=10)
    assert publisher.produced == 5
    assert publisher.failures == 5
    assert all(isinstance(e, DeliveryError) for e in publisher.errors)
    assert publisher.errors[0].code == KafkaError._MSG_TIMED_OUT
    assert publisher.errors[0].topic == "t"
    report = EmulatorReport.from_tally(
        EmissionTally(),
        basins=(),
        steps_total=0,
        produced=publisher.produced,
        delivery_failures=publisher.failures,
        delivery_errors=tuple(publisher.delivery_errors),
    )
    with pytest.raises(DeliveryFailedError, match="5 of 5"):
        report.raise_for_failures()

"""``floodcast broker tool`` on the secured local broker: Kafka's tools connect as ``admin``."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from floodcast.kafka_local import KafkaJars, LocalBroker
from floodcast.kafka_local.settings_broker import broker_config
from schemas.settings import Settings
from tests.fixtures.broker import free_port_pair
from tests.fixtures.secured_broker import SECURED_TIMEOUT_S

pytestmark = pytest.mark.integration

FLOODCAST = str(Path(sys.executable).with_name("floodcast"))


@dataclass(frozen=True)
class SecuredCli:
    """A secured local broker laid out as ``floodcast`` expects, and the CLI's environment."""

    env: dict[str, str]
    settings: Settings
    topic: str
    """A topic holding one message, ``hello``."""


@pytest.fixture(scope="module")
def secured_cli(
    kafka_jars: KafkaJars, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SecuredCli]:
    """The local broker started with FLOODCAST_BROKER_SECURITY=sasl_ssl, a topic made as admin."""
    port, controller_port = free_port_pair()
    fields = {
        "kafka_version": kafka_jars.version,
        "cache_dir": kafka_jars.libs_dir.parent.parent,
        "data_dir": tmp_path_factory.mktemp("tool") / "state",
        "broker_port": port,
        "controller_port": controller_port,
        "broker_security": "sasl_ssl",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOODCAST_")}
    env.update({f"FLOODCAST_{name.upper()}": str(value) for name, value in fields.items()})
    settings = Settings(**fields)
    config = broker_config(settings)
    broker = LocalBroker(kafka_jars, config)
    broker.start()
    try:
        topic = f"tool-{uuid.uuid4().hex[:8]}"
        admin = AdminClient(config.client_config())
        admin.create_topics([NewTopic(topic, 1)])[topic].result(SECURED_TIMEOUT_S)
        producer = Producer(config.client_config())
        producer.produce(topic, b"hello")
        assert producer.flush(SECURED_TIMEOUT_S) == 0
        yield SecuredCli(env, settings, topic)
    finally:
        broker.stop()


def _floodcast(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``floodcast`` console script."""
    return subprocess.run(
        [FLOODCAST, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_topics_list_authenticates_as_admin(secured_cli: SecuredCli) -> None:
    """kafka-topics --list reaches the SASL_SSL listener as admin through an owner-only
    properties file, and lists the topic."""
    listed = _floodcast(secured_cli.env, "broker", "tool", "topics", "--list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert secured_cli.topic in listed.stdout.split()
    properties = secured_cli.settings.broker_secrets_dir / "admin-client.properties"
    assert properties.stat().st_mode & 0o777 == 0o600


def test_console_consumer_reads_as_admin(secured_cli: SecuredCli) -> None:
    """kafka-console-consumer gets the properties through its own option and reads a message."""
    consumed = _floodcast(
        secured_cli.env,
        "broker",
        "tool",
        "console-consumer",
        "--topic",
        secured_cli.topic,
        "--from-beginning",
        "--max-messages",
        "1",
        "--timeout-ms",
        "30000",
    )
    assert consumed.returncode == 0, consumed.stdout + consumed.stderr
    assert consumed.stdout.split() == ["hello"]

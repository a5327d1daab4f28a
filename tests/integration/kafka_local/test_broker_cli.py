"""``floodcast broker start|status|stop`` end to end, and the local broker's typed errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from floodcast.kafka_local import BrokerConfig, BrokerStartError, KafkaJars, LocalBroker
from tests.fixtures.broker import free_port_pair

pytestmark = pytest.mark.integration

FLOODCAST = str(Path(sys.executable).with_name("floodcast"))


@pytest.fixture
def cli_env(tmp_path: Path, kafka_jars: KafkaJars) -> Iterator[dict[str, str]]:
    """Environment for a ``floodcast`` process owning its own broker (own ports and data dir)."""
    port, controller_port = free_port_pair()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOODCAST_")}
    env.update(
        FLOODCAST_KAFKA_VERSION=kafka_jars.version,
        FLOODCAST_CACHE_DIR=str(kafka_jars.libs_dir.parent.parent),
        FLOODCAST_DATA_DIR=str(tmp_path / "state"),
        FLOODCAST_BROKER_PORT=str(port),
        FLOODCAST_CONTROLLER_PORT=str(controller_port),
    )
    yield env
    # Never leave a JVM behind, whatever the test did.
    LocalBroker(
        kafka_jars,
        BrokerConfig(tmp_path / "state" / "broker", port=port, controller_port=controller_port),
    ).stop()


def floodcast(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``floodcast`` console script."""
    return subprocess.run(
        [FLOODCAST, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_start_status_stop_lifecycle(cli_env: dict[str, str]) -> None:
    """start brings up a broker that answers clients, status tracks it, stop shuts it down."""
    bootstrap = f"127.0.0.1:{cli_env['FLOODCAST_BROKER_PORT']}"
    before = floodcast(cli_env, "broker", "status")
    assert before.returncode == 1, before.stdout + before.stderr
    assert "not running" in before.stdout

    started = floodcast(cli_env, "broker", "start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert bootstrap in started.stdout
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10)
    assert list(metadata.brokers) == [1]

    running = floodcast(cli_env, "broker", "status")
    assert running.returncode == 0
    assert f"running at {bootstrap}" in running.stdout
    again = floodcast(cli_env, "broker", "start")
    assert "already running" in again.stdout

    stopped = floodcast(cli_env, "broker", "stop")
    assert stopped.returncode == 0
    assert stopped.stdout.strip() == "stopped"
    after = floodcast(cli_env, "broker", "status")
    assert after.returncode == 1
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(cli_env["FLOODCAST_BROKER_PORT"])), timeout=2)


def test_start_with_external_broker_does_nothing(cli_env: dict[str, str]) -> None:
    """With FLOODCAST_KAFKA_BOOTSTRAP set, start reports the external broker and starts none."""
    env = {
        **cli_env,
        "FLOODCAST_KAFKA_BOOTSTRAP": "kafka.example:9092",
        "FLOODCAST_KAFKA_ALLOW_PLAINTEXT": "true",
    }
    done = floodcast(env, "broker", "start")
    assert done.returncode == 0
    assert "external broker is configured (kafka.example:9092)" in done.stdout
    assert not Path(cli_env["FLOODCAST_DATA_DIR"]).exists()


def test_start_fails_when_port_is_taken(tmp_path: Path, kafka_jars: KafkaJars) -> None:
    """Starting on an occupied port raises BrokerStartError before any JVM is launched."""
    port, controller_port = free_port_pair()
    config = BrokerConfig(tmp_path / "broker", port=port, controller_port=controller_port)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(BrokerStartError, match=f"127.0.0.1:{port} is already in use"):
            LocalBroker(kafka_jars, config).start()
    assert not config.pid_file.exists()


def test_start_failure_reports_broker_log(tmp_path: Path, kafka_jars: KafkaJars) -> None:
    """A broker that dies during start raises BrokerStartError carrying the tail of its log."""
    port, controller_port = free_port_pair()
    config = BrokerConfig(tmp_path / "broker", port=port, controller_port=controller_port)
    broker = LocalBroker(kafka_jars, config)
    broker.format_storage()
    # A broken meta.properties makes Kafka refuse the log directory at start.
    (config.log_dirs / "meta.properties").write_text("version=1\n")
    with pytest.raises(BrokerStartError) as raised:
        broker.start(timeout=60)
    assert "exited during start" in str(raised.value)
    assert "meta.properties" in raised.value.log_tail
    assert not broker.status().running

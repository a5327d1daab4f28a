"""``floodcast broker acls`` on a secured broker whose storage predates some of its users."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient, NewTopic

from floodcast.kafka_local import (
    DEFAULT_USERS,
    BrokerConfig,
    BrokerSecurity,
    KafkaJars,
    LocalBroker,
)
from schemas.settings import Settings
from tests.fixtures.broker import free_port_pair
from tests.fixtures.secured_broker import SECURED_TIMEOUT_S, produce_one

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FLOODCAST = str(Path(sys.executable).with_name("floodcast"))
_FORMATTED_WITH = ("admin", "worker", "emulator")


def test_acls_command_creates_users_the_storage_lacks(
    kafka_jars: KafkaJars, tmp_path: Path
) -> None:
    """Users added after the storage was formatted are created by the command, then
    authenticate with their ACLs; running it again creates nobody."""
    port, controller_port = free_port_pair()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOODCAST_")}
    env.update(
        FLOODCAST_DATA_DIR=str(tmp_path / "state"),
        FLOODCAST_BROKER_PORT=str(port),
        FLOODCAST_CONTROLLER_PORT=str(controller_port),
        FLOODCAST_BROKER_SECURITY="sasl_ssl",
    )
    settings = Settings(data_dir=tmp_path / "state")
    secrets_dir, host = settings.broker_secrets_dir, settings.broker_host
    older = BrokerSecurity.ensure(secrets_dir, hosts=(host,), users=_FORMATTED_WITH)
    config = BrokerConfig(
        data_dir=tmp_path / "state" / "broker",
        host=host,
        port=port,
        controller_port=controller_port,
        security=older,
    )
    broker = LocalBroker(kafka_jars, config)
    broker.start()
    try:
        topic = settings.topic_alerts
        admin = AdminClient(config.client_config())
        admin.create_topics([NewTopic(topic, 1)])[topic].result(SECURED_TIMEOUT_S)

        first = _floodcast(env, "broker", "acls")
        second = _floodcast(env, "broker", "acls")

        newer = BrokerSecurity.ensure(secrets_dir, hosts=(host,))
        delivered = {
            user: produce_one(
                {"bootstrap.servers": config.bootstrap, **newer.client_config(user)}, topic, b"{}"
            )
            for user in ("monitor", "worker")
        }
    finally:
        broker.stop()
    added = [user for user in DEFAULT_USERS if user not in _FORMATTED_WITH]
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"created SCRAM users: {', '.join(added)}" in first.stdout
    assert second.returncode == 0, second.stdout + second.stderr
    assert "created SCRAM users" not in second.stdout
    assert {user: newer.passwords[user] for user in _FORMATTED_WITH} == dict(older.passwords)
    assert delivered == {"monitor": None, "worker": None}


def _floodcast(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``floodcast`` console script."""
    return subprocess.run(
        [FLOODCAST, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )

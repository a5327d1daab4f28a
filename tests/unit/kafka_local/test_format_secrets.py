"""Issue 13: formatting the secured broker's storage puts no SCRAM password on a command line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from floodcast.kafka_local import BrokerConfig, BrokerSecurity
from floodcast.kafka_local import broker as broker_module
from floodcast.kafka_local.broker import LocalBroker
from floodcast.kafka_local.jars import KafkaJars


@pytest.mark.slow
def test_scram_passwords_are_not_in_the_format_command(
    kafka_jars: KafkaJars, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``kafka-storage format`` creates the users from an owner-only file removed afterwards."""
    security = BrokerSecurity.ensure(tmp_path / "secrets")
    config = BrokerConfig(data_dir=tmp_path / "broker", security=security)
    commands: list[list[str]] = []
    real_run = subprocess.run

    def recorded(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        commands.append(list(command))
        return real_run(command, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(broker_module.subprocess, "run", recorded)
    assert LocalBroker(kafka_jars, config).format_storage()
    (command,) = commands
    visible = "\0".join(command)
    for user, password in security.passwords.items():
        assert password not in visible, user
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and "argfile" in p.name]
    assert leftovers == []

"""The command lines of Kafka's tools: bootstrap and client properties options, without Java."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from floodcast.kafka_local import KafkaJars, client_config_option, tool_command


def _jars(tmp_path: Path, version: str) -> KafkaJars:
    """A jars folder whose only Kafka jar holds the main classes of every known tool."""
    jars = KafkaJars(version, tmp_path / "libs")
    jars.libs_dir.mkdir()
    with zipfile.ZipFile(jars.libs_dir / f"kafka_2.13-{version}.jar", "w") as archive:
        for name in (
            "org/apache/kafka/tools/TopicCommand.class",
            "org/apache/kafka/tools/consumer/ConsoleConsumer.class",
            "kafka/tools/StorageTool.class",
        ):
            archive.writestr(name, b"")
    return jars


@pytest.fixture(autouse=True)
def _no_java_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Command lines are built without looking for a JDK."""
    monkeypatch.setattr("floodcast.kafka_local.tools.java_executable", lambda: "java")


@pytest.mark.parametrize(
    ("name", "version", "option"),
    [
        ("topics", "4.0.0", "--command-config"),
        ("consumer-groups", "4.4.0", "--command-config"),
        ("acls", "4.4.0", "--command-config"),
        ("console-consumer", "4.1.1", "--consumer.config"),
        ("console-producer", "4.0.0", "--producer.config"),
        ("producer-perf-test", "4.1.0", "--producer.config"),
        ("console-consumer", "4.2.0", "--command-config"),
        ("consumer-perf-test", "4.4.0", "--command-config"),
        ("storage", "4.4.0", None),
    ],
)
def test_client_config_option_follows_the_release(
    name: str, version: str, option: str | None
) -> None:
    """Console and perf tools take --command-config from Kafka 4.2 on, their own option before;
    cluster tools always take --command-config, offline tools none."""
    assert client_config_option(name, version) == option


def test_client_properties_are_passed_unless_given(tmp_path: Path) -> None:
    """The properties file goes before the tool's arguments with the tool's option, and not
    when the arguments already name a properties file."""
    jars = _jars(tmp_path, "4.1.0")
    props = tmp_path / "admin.properties"
    topics = tool_command(jars, "topics", ["--list"], bootstrap="h:1", client_properties=props)
    assert topics[-5:] == ["--command-config", str(props), "--bootstrap-server", "h:1", "--list"]
    consumer = tool_command(
        jars, "console-consumer", ["--topic", "t"], bootstrap="h:1", client_properties=props
    )
    assert consumer[-6:-4] == ["--consumer.config", str(props)]
    own = tool_command(jars, "topics", ["--command-config=mine", "--list"], client_properties=props)
    assert str(props) not in own
    legacy_given = tool_command(
        jars, "console-consumer", ["--consumer.config", "mine"], client_properties=props
    )
    assert str(props) not in legacy_given
    offline = tool_command(jars, "storage", ["info"], bootstrap="h:1", client_properties=props)
    assert offline[-1:] == ["info"] and str(props) not in offline

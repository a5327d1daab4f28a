"""Kafka's own command line tools (``kafka-topics``, ``kafka-consumer-groups``, ...)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from floodcast.kafka_local.config import java_executable
from floodcast.kafka_local.exceptions import ToolError, UnknownToolError
from floodcast.kafka_local.jars import KafkaJars

__all__ = ["TOOLS", "client_config_option", "run_tool", "tool_command"]

TOOLS_LOG4J = Path(__file__).with_name("log4j2-tools.properties")

TOOLS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # Tool name (as in bin/kafka-<name>.sh) -> main classes, newest location first:
        # several moved from Scala ``kafka.admin`` to Java ``org.apache.kafka.tools``.
        "topics": ("org.apache.kafka.tools.TopicCommand", "kafka.admin.TopicCommand"),
        "consumer-groups": (
            "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
            "kafka.admin.ConsumerGroupCommand",
        ),
        "configs": ("org.apache.kafka.tools.ConfigCommand", "kafka.admin.ConfigCommand"),
        "get-offsets": ("org.apache.kafka.tools.GetOffsetShell", "kafka.tools.GetOffsetShell"),
        "console-consumer": (
            "org.apache.kafka.tools.consumer.ConsoleConsumer",
            "kafka.tools.ConsoleConsumer",
        ),
        "console-producer": (
            "org.apache.kafka.tools.ConsoleProducer",
            "kafka.tools.ConsoleProducer",
        ),
        "metadata-quorum": ("org.apache.kafka.tools.MetadataQuorumCommand",),
        "log-dirs": ("org.apache.kafka.tools.LogDirsCommand", "kafka.admin.LogDirsCommand"),
        "producer-perf-test": ("org.apache.kafka.tools.ProducerPerformance",),
        "consumer-perf-test": (
            "org.apache.kafka.tools.ConsumerPerformance",
            "kafka.tools.ConsumerPerformance",
        ),
        "storage": ("kafka.tools.StorageTool", "org.apache.kafka.tools.StorageTool"),
        "acls": ("org.apache.kafka.tools.AclCommand", "kafka.admin.AclCommand"),
    }
)

# Tools that work on files, not on a running cluster: they take no --bootstrap-server.
_OFFLINE_TOOLS = frozenset({"storage"})

# The option naming a client properties file. Every cluster tool takes --command-config; the
# console and perf tools took --consumer.config / --producer.config before Kafka 4.2 (KIP-1147),
# which deprecated those names in favour of --command-config.
_COMMAND_CONFIG = "--command-config"
_LEGACY_CONFIG_OPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "console-consumer": "--consumer.config",
        "console-producer": "--producer.config",
        "consumer-perf-test": "--consumer.config",
        "producer-perf-test": "--producer.config",
    }
)
_COMMAND_CONFIG_EVERYWHERE_SINCE = (4, 2)
_CONFIG_OPTIONS = frozenset({_COMMAND_CONFIG, *_LEGACY_CONFIG_OPTIONS.values()})


def client_config_option(name: str, version: str) -> str | None:
    """The option of Kafka tool ``name`` that takes a client properties file.

    Args:
        name: a key of ``TOOLS``.
        version: the Kafka release, e.g. ``"4.4.0"``.

    Returns:
        ``--command-config``, ``--consumer.config`` or ``--producer.config``; ``None`` for a
        tool that does not connect to a cluster.
    """
    if name in _OFFLINE_TOOLS:
        return None
    legacy = _LEGACY_CONFIG_OPTIONS.get(name)
    if legacy is None or _release(version) >= _COMMAND_CONFIG_EVERYWHERE_SINCE:
        return _COMMAND_CONFIG
    return legacy


def _release(version: str) -> tuple[int, int]:
    """``(major, minor)`` of a version such as ``"4.4.0"`` or ``"4.2.0-rc1"``."""
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def _has_option(args: Sequence[str], options: Iterable[str]) -> bool:
    wanted = set(options)
    return any(arg.split("=", 1)[0] in wanted for arg in args)


def tool_command(
    jars: KafkaJars,
    name: str,
    args: Sequence[str],
    *,
    bootstrap: str | None = None,
    client_properties: Path | None = None,
) -> list[str]:
    """The ``java`` command line that runs Kafka tool ``name`` with ``args``.

    Args:
        jars: the resolved Kafka jars.
        name: a key of ``TOOLS``, e.g. ``"topics"``.
        args: the tool's own arguments.
        bootstrap: added as ``--bootstrap-server`` unless ``args`` already has one (or the tool
            works offline, like ``storage``).
        client_properties: a client properties file (security settings), passed with the
            tool's option for it (:func:`client_config_option`) unless ``args`` already name
            a properties file, or the tool works offline.

    Returns:
        The command as a list of arguments.

    Raises:
        UnknownToolError: ``name`` is not in ``TOOLS``.
        MainClassNotFoundError: this Kafka release has none of the tool's main classes.
        JavaNotFoundError: no ``java``.
    """
    try:
        candidates = TOOLS[name]
    except KeyError as exc:
        raise UnknownToolError(f"unknown Kafka tool {name!r}; known: {sorted(TOOLS)}") from exc
    extra = list(args)
    online = name not in _OFFLINE_TOOLS
    if bootstrap is not None and online and not _has_option(extra, ["--bootstrap-server"]):
        extra = ["--bootstrap-server", bootstrap, *extra]
    option = client_config_option(name, jars.version)
    if client_properties is not None and option and not _has_option(extra, _CONFIG_OPTIONS):
        extra = [option, str(client_properties), *extra]
    return [
        java_executable(),
        "-Xmx256m",
        f"-Dlog4j2.configurationFile={TOOLS_LOG4J}",
        "-cp",
        jars.classpath,
        jars.main_class(candidates),
        *extra,
    ]


def run_tool(
    jars: KafkaJars,
    name: str,
    args: Sequence[str],
    *,
    bootstrap: str | None = None,
    client_properties: Path | None = None,
    timeout: float = 60.0,
) -> str:
    """Run Kafka tool ``name`` to completion and return what it printed on stdout.

    Args:
        jars: the resolved Kafka jars.
        name: a key of ``TOOLS``, e.g. ``"consumer-groups"``.
        args: the tool's own arguments, e.g. ``["--describe", "--group", "g"]``.
        bootstrap: added as ``--bootstrap-server`` unless ``args`` already has one.
        client_properties: a client properties file, as in :func:`tool_command`.
        timeout: seconds before the tool is killed.

    Returns:
        The tool's stdout.

    Raises:
        ToolError: the tool exited non-zero or timed out.
        UnknownToolError: ``name`` is not in ``TOOLS``.
        MainClassNotFoundError: this Kafka release has none of the tool's main classes.
        JavaNotFoundError: no ``java``.
    """
    command = tool_command(
        jars, name, args, bootstrap=bootstrap, client_properties=client_properties
    )
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ToolError(
            f"kafka-{name} timed out after {timeout:.0f} s",
            -1,
            _text(exc.stdout),
            _text(exc.stderr),
        ) from exc
    if done.returncode != 0:
        raise ToolError(f"kafka-{name} failed", done.returncode, done.stdout, done.stderr)
    return done.stdout


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""

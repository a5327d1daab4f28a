"""Kafka's own command line tools (``kafka-topics``, ``kafka-consumer-groups``, ...)."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from kafka_local._java import java_executable
from kafka_local.exceptions import ToolError, UnknownToolError
from kafka_local.jars import KafkaJars

__all__ = ["TOOLS", "run_tool", "tool_command"]

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
    }
)

# Tools that work on files, not on a running cluster: they take no --bootstrap-server.
_OFFLINE_TOOLS = frozenset({"storage"})


def tool_command(
    jars: KafkaJars, name: str, args: Sequence[str], *, bootstrap: str | None = None
) -> list[str]:
    """The ``java`` command line that runs Kafka tool ``name`` with ``args``.

    Args:
        jars: the resolved Kafka jars.
        name: a key of ``TOOLS``, e.g. ``"topics"``.
        args: the tool's own arguments.
        bootstrap: added as ``--bootstrap-server`` unless ``args`` already has one (or the tool
            works offline, like ``storage``).

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
    given = any(arg.split("=", 1)[0] == "--bootstrap-server" for arg in extra)
    if bootstrap is not None and name not in _OFFLINE_TOOLS and not given:
        extra = ["--bootstrap-server", bootstrap, *extra]
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
    timeout: float = 60.0,
) -> str:
    """Run Kafka tool ``name`` to completion and return what it printed on stdout.

    Args:
        jars: the resolved Kafka jars.
        name: a key of ``TOOLS``, e.g. ``"consumer-groups"``.
        args: the tool's own arguments, e.g. ``["--describe", "--group", "g"]``.
        bootstrap: added as ``--bootstrap-server`` unless ``args`` already has one.
        timeout: seconds before the tool is killed.

    Returns:
        The tool's stdout.

    Raises:
        ToolError: the tool exited non-zero or timed out.
        UnknownToolError: ``name`` is not in ``TOOLS``.
        MainClassNotFoundError: this Kafka release has none of the tool's main classes.
        JavaNotFoundError: no ``java``.
    """
    command = tool_command(jars, name, args, bootstrap=bootstrap)
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

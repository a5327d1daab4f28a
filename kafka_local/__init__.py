"""Apache Kafka for local runs and tests: jars from Maven Central, a single-node KRaft broker."""

from kafka_local.broker import BrokerStatus, LocalBroker
from kafka_local.config import BrokerConfig
from kafka_local.exceptions import (
    BrokerError,
    BrokerStartError,
    BrokerStopError,
    JarResolutionError,
    JavaNotFoundError,
    KafkaLocalError,
    MainClassNotFoundError,
    StorageFormatError,
    ToolError,
    UnknownToolError,
)
from kafka_local.jars import KafkaJars, cached_jars, resolve_jars
from kafka_local.tools import TOOLS, run_tool, tool_command

__all__ = [
    "TOOLS",
    "BrokerConfig",
    "BrokerError",
    "BrokerStartError",
    "BrokerStatus",
    "BrokerStopError",
    "JarResolutionError",
    "JavaNotFoundError",
    "KafkaJars",
    "KafkaLocalError",
    "LocalBroker",
    "MainClassNotFoundError",
    "StorageFormatError",
    "ToolError",
    "UnknownToolError",
    "cached_jars",
    "resolve_jars",
    "run_tool",
    "tool_command",
]

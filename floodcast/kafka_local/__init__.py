"""Apache Kafka for local runs and tests: jars from Maven Central, a single-node KRaft broker."""

from floodcast.kafka_local.acls import (
    api_acls,
    create_acls,
    delete_acls,
    emulator_acls,
    monitor_acls,
    worker_acls,
)
from floodcast.kafka_local.broker import BrokerStatus, LocalBroker
from floodcast.kafka_local.config import BrokerConfig
from floodcast.kafka_local.dev_tls import DevTls
from floodcast.kafka_local.exceptions import (
    AclError,
    BrokerError,
    BrokerStartError,
    BrokerStopError,
    JarResolutionError,
    JavaNotFoundError,
    KafkaLocalError,
    MainClassNotFoundError,
    ScramUserError,
    SecurityConfigError,
    StorageFormatError,
    ToolError,
    UnknownToolError,
)
from floodcast.kafka_local.jars import KafkaJars, cached_jars, resolve_jars
from floodcast.kafka_local.scram_users import SCRAM_ITERATIONS, ensure_scram_users
from floodcast.kafka_local.security import DEFAULT_USERS, SCRAM_MECHANISM, BrokerSecurity
from floodcast.kafka_local.tools import TOOLS, client_config_option, run_tool, tool_command

__all__ = [
    "DEFAULT_USERS",
    "SCRAM_ITERATIONS",
    "SCRAM_MECHANISM",
    "TOOLS",
    "AclError",
    "BrokerConfig",
    "BrokerError",
    "BrokerSecurity",
    "BrokerStartError",
    "BrokerStatus",
    "BrokerStopError",
    "DevTls",
    "JarResolutionError",
    "JavaNotFoundError",
    "KafkaJars",
    "KafkaLocalError",
    "LocalBroker",
    "MainClassNotFoundError",
    "ScramUserError",
    "SecurityConfigError",
    "StorageFormatError",
    "ToolError",
    "UnknownToolError",
    "api_acls",
    "cached_jars",
    "client_config_option",
    "create_acls",
    "delete_acls",
    "emulator_acls",
    "ensure_scram_users",
    "monitor_acls",
    "resolve_jars",
    "run_tool",
    "tool_command",
    "worker_acls",
]

"""Apache Kafka for local runs and tests: jars from Maven Central, a single-node KRaft broker."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "acls": [
            "api_acls",
            "create_acls",
            "delete_acls",
            "emulator_acls",
            "monitor_acls",
            "observer_acls",
            "worker_acls",
        ],
        "broker": ["BrokerStatus", "LocalBroker"],
        "config": ["BrokerConfig"],
        "dev_tls": ["DevTls"],
        "exceptions": [
            "AclError",
            "BrokerError",
            "BrokerStartError",
            "BrokerStopError",
            "JarResolutionError",
            "JavaNotFoundError",
            "KafkaLocalError",
            "MainClassNotFoundError",
            "ScramUserError",
            "SecurityConfigError",
            "StorageFormatError",
            "ToolError",
            "UnknownToolError",
        ],
        "jars": ["KafkaJars", "cached_jars", "resolve_jars"],
        "scram_users": ["SCRAM_ITERATIONS", "ensure_scram_users"],
        "security": ["BrokerSecurity", "DEFAULT_USERS", "SCRAM_MECHANISM"],
        "tools": ["TOOLS", "client_config_option", "run_tool", "tool_command"],
    },
)

"""The single-node KRaft broker's configuration: where its files go, what it listens on."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from floodcast.kafka_local.exceptions import JavaNotFoundError

if TYPE_CHECKING:  # the TLS stack (cryptography) loads only for a secured broker
    from floodcast.kafka_local.security import BrokerSecurity

__all__ = ["BrokerConfig"]


def java_executable() -> str:
    """Path of the ``java`` to run: ``$JAVA_HOME/bin/java`` when set, else the one on ``PATH``.

    Returns:
        An executable path.

    Raises:
        JavaNotFoundError: neither exists.
    """
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java")
    if found is None:
        raise JavaNotFoundError("no java found: install a JDK 17+ or set JAVA_HOME")
    return found


# One node is both broker and controller; its quorum is itself, at a fixed loopback address.
_NODE_ID = 1


@dataclass(frozen=True)
class BrokerConfig:
    """A local broker's layout and listeners.

    Everything the broker writes lives under ``data_dir``: ``server.properties``, the pid file,
    the JVM's stdout (``broker.out``), log4j logs (``logs/``) and Kafka's log segments
    (``kraft-logs/``).
    """

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 9092
    controller_port: int = 9093
    heap_mb: int = 512
    auto_create_topics: bool = False
    security: BrokerSecurity | None = None
    """When set, the client listener on ``port`` speaks SASL_SSL and ACLs are enforced."""

    def __post_init__(self) -> None:
        # Absolute, so the pid check (which matches the JVM's command line) works from any cwd.
        object.__setattr__(self, "data_dir", Path(self.data_dir).resolve())

    @property
    def bootstrap(self) -> str:
        """``host:port`` clients connect to."""
        return f"{self.host}:{self.port}"

    @property
    def properties_file(self) -> Path:
        """The generated ``server.properties``."""
        return self.data_dir / "server.properties"

    @property
    def log_dirs(self) -> Path:
        """Kafka's data (topic partitions and the metadata log)."""
        return self.data_dir / "kraft-logs"

    @property
    def logs_dir(self) -> Path:
        """Where log4j writes ``server.log``."""
        return self.data_dir / "logs"

    @property
    def server_log(self) -> Path:
        """The broker's log4j log file."""
        return self.logs_dir / "server.log"

    @property
    def stdout_file(self) -> Path:
        """The JVM's stdout and stderr (errors before log4j starts end up here)."""
        return self.data_dir / "broker.out"

    @property
    def pid_file(self) -> Path:
        """Holds the broker process id while it runs."""
        return self.data_dir / "broker.pid"

    def server_properties(self) -> dict[str, str]:
        """The broker's ``server.properties`` entries."""
        return {
            "process.roles": "broker,controller",
            "node.id": str(_NODE_ID),
            "controller.quorum.voters": f"{_NODE_ID}@127.0.0.1:{self.controller_port}",
            "listeners": (
                f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}"
            ),
            "advertised.listeners": f"PLAINTEXT://{self.bootstrap}",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(self.log_dirs),
            "num.partitions": "1",
            "default.replication.factor": "1",
            # Internal topics must fit on one broker; few partitions make the first group join fast.
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            # Rebalance at once: nobody else is going to join a local group.
            "group.initial.rebalance.delay.ms": "0",
            # Topics must be declared (by the app or the tests), as on a production cluster.
            "auto.create.topics.enable": str(self.auto_create_topics).lower(),
            "num.network.threads": "2",
            "num.io.threads": "4",
        } | (
            self.security.server_properties(self.host, self.port, self.controller_port)
            if self.security is not None
            else {}
        )

    def client_config(self, user: str | None = None) -> dict[str, str]:
        """confluent-kafka settings reaching this broker, as ``user`` when it is secured.

        Args:
            user: SCRAM user; ``None`` = the super user. Ignored on a plaintext broker.

        Returns:
            Client settings including ``bootstrap.servers``.
        """
        config = {"bootstrap.servers": self.bootstrap}
        if self.security is not None:
            config |= self.security.client_config(user or self.security.admin)
        return config

    def render(self) -> str:
        """``server.properties`` text."""
        lines = ["# Generated by kafka_local; edits are overwritten at each start."]
        lines += [f"{key}={value}" for key, value in self.server_properties().items()]
        return "\n".join(lines) + "\n"

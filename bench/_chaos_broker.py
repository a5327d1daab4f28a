"""A local broker the chaos run may kill, with a second listener reached through a TCP proxy.

Workers bootstrap through the proxy, and the broker advertises the proxy's port on that
listener, so every connection a worker makes passes the proxy and a cut reaches all of them.
The feed and the checks use the direct listener and are not cut.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from bench._tcp_proxy import TcpProxy
from bench._worker_run import free_port
from floodcast.kafka_local import BrokerConfig, LocalBroker
from floodcast.kafka_local.settings_broker import ensure_jars
from schemas.settings import Settings

__all__ = ["ChaosBroker"]


@dataclass(frozen=True)
class _ProxiedConfig(BrokerConfig):
    """A broker config with a ``WORKER`` listener advertised at a proxy's port."""

    worker_port: int = 0
    proxy_port: int = 0

    def server_properties(self) -> dict[str, str]:
        properties = super().server_properties()
        properties["listeners"] += f",WORKER://{self.host}:{self.worker_port}"
        properties["advertised.listeners"] += f",WORKER://{self.host}:{self.proxy_port}"
        properties["listener.security.protocol.map"] += ",WORKER:PLAINTEXT"
        return properties


class ChaosBroker:
    """Starts the broker and its proxy; kills and restarts the broker's JVM on demand.

    Args:
        settings: Kafka version, jar cache and heap.
        data_dir: where the broker keeps its data.
    """

    def __init__(self, settings: Settings, data_dir: Path) -> None:
        worker_port = free_port()
        self.proxy = TcpProxy(("127.0.0.1", worker_port))
        port, controller_port = free_port(), free_port()
        self.config = _ProxiedConfig(
            data_dir=data_dir,
            port=port,
            controller_port=controller_port,
            heap_mb=settings.broker_heap_mb,
            worker_port=worker_port,
            proxy_port=self.proxy.port,
        )
        self.broker = LocalBroker(ensure_jars(settings), self.config)

    @property
    def bootstrap(self) -> str:
        """The direct listener (feed, checks)."""
        return self.config.bootstrap

    @property
    def worker_bootstrap(self) -> str:
        """The listener behind the proxy (workers)."""
        return f"127.0.0.1:{self.proxy.port}"

    def start(self) -> None:
        self.broker.start(timeout=180.0)

    def kill_and_restart(self) -> float:
        """SIGKILL the broker's JVM, then start it again on the same data.

        Returns:
            Seconds the restart took until the broker answered.
        """
        pid = int(self.config.pid_file.read_text().strip())
        os.kill(pid, signal.SIGKILL)
        while self.broker.status().running:  # reaps the child once it is gone
            time.sleep(0.1)
        began = time.monotonic()
        self.broker.start(timeout=180.0)
        return time.monotonic() - began

    def stop(self) -> None:
        self.proxy.close()
        self.broker.stop()

"""A real Kafka broker for benchmarks: the configured one, else a local one on free ports."""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from floodcast.kafka_local import BrokerConfig, LocalBroker
from floodcast.kafka_local.settings_broker import ensure_jars
from schemas.settings import Settings


def _free_port_pair() -> tuple[int, int]:
    """Two loopback ports free right now (broker, controller)."""
    with socket.socket() as first, socket.socket() as second:
        first.bind(("127.0.0.1", 0))
        second.bind(("127.0.0.1", 0))
        return first.getsockname()[1], second.getsockname()[1]


@contextmanager
def bench_broker(settings: Settings, scratch: Path | None = None) -> Iterator[tuple[str, str]]:
    """Yield ``(bootstrap, description)`` of a broker that lives as long as the block.

    Args:
        settings: ``kafka_bootstrap`` (an existing broker), the Kafka version, jar cache, heap.
        scratch: where a local broker keeps its data; default: a temporary directory.
    """
    if settings.kafka_bootstrap:
        yield settings.kafka_bootstrap, "external (FLOODCAST_KAFKA_BOOTSTRAP)"
        return
    jars = ensure_jars(settings)
    with tempfile.TemporaryDirectory(prefix="bench-kafka-", dir=scratch) as tmp:
        port, controller_port = _free_port_pair()
        config = BrokerConfig(
            data_dir=Path(tmp) / "broker",
            port=port,
            controller_port=controller_port,
            heap_mb=settings.broker_heap_mb,
        )
        broker = LocalBroker(jars, config)
        broker.start()
        try:
            yield config.bootstrap, f"local Apache Kafka {jars.version} (KRaft, 1 node)"
        finally:
            broker.stop()

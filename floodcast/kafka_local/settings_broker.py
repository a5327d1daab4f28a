"""The local broker as Floodcast's settings describe it: its configuration and its jars."""

from __future__ import annotations

import time
from collections.abc import Callable

from floodcast.kafka_local.config import BrokerConfig
from floodcast.kafka_local.jars import KafkaJars, resolve_jars
from schemas.settings import Settings

__all__ = ["broker_config", "ensure_jars"]


def broker_config(settings: Settings) -> BrokerConfig:
    """The local broker's configuration from Floodcast's settings."""
    # Imported here: the TLS stack (cryptography) is needed only for a secured broker.
    from floodcast.kafka_local.security import BrokerSecurity

    return BrokerConfig(
        data_dir=settings.data_dir / "broker",
        host=settings.broker_host,
        port=settings.broker_port,
        controller_port=settings.controller_port,
        heap_mb=settings.broker_heap_mb,
        security=(
            BrokerSecurity.ensure(settings.broker_secrets_dir, hosts=(settings.broker_host,))
            if settings.broker_security == "sasl_ssl"
            else None
        ),
    )


def ensure_jars(settings: Settings, announce: Callable[[str], None] | None = None) -> KafkaJars:
    """Kafka's jars for ``settings.kafka_version``, resolved with Maven when not cached yet.

    Args:
        settings: names the Kafka version and the cache folder.
        announce: told, in words, that a resolution starts and how long it took.
    """
    jars = KafkaJars.in_cache(settings.kafka_version, settings.cache_dir)
    if jars.is_resolved:
        return jars
    say = announce or (lambda _message: None)
    say(f"resolving Kafka {settings.kafka_version} jars from Maven Central ...")
    began = time.monotonic()
    jars = resolve_jars(settings.kafka_version, settings.cache_dir)
    say(f"resolved into {jars.libs_dir} in {time.monotonic() - began:.1f} s")
    return jars

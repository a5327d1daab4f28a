"""Kafka client settings derived from ``Settings``, for confluent-kafka and for Faust."""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

from floodcast.settings import Settings

if TYPE_CHECKING:
    import faust

__all__ = ["SASL_MECHANISM", "client_config", "faust_credentials", "security_config"]

SASL_MECHANISM = "SCRAM-SHA-512"


def security_config(settings: Settings) -> dict[str, str]:
    """librdkafka security properties; empty for PLAINTEXT.

    Args:
        settings: the protocol, SCRAM user and CA file.

    Returns:
        ``security.protocol``, SASL and TLS properties, without ``bootstrap.servers``.
    """
    if settings.kafka_security_protocol != "SASL_SSL":
        return {}
    password = settings.kafka_sasl_password
    config = {
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": SASL_MECHANISM,
        "sasl.username": settings.kafka_sasl_username or "",
        "sasl.password": password.get_secret_value() if password is not None else "",
        "ssl.endpoint.identification.algorithm": "https",
    }
    if settings.kafka_ca_file is not None:
        config["ssl.ca.location"] = str(settings.kafka_ca_file)
    return config


def client_config(settings: Settings) -> dict[str, str]:
    """confluent-kafka settings that reach the configured broker as the configured user.

    Args:
        settings: the bootstrap servers and security settings.

    Returns:
        ``bootstrap.servers`` plus :func:`security_config`.
    """
    return {"bootstrap.servers": settings.bootstrap_servers, **security_config(settings)}


def faust_credentials(settings: Settings) -> faust.SASLCredentials | None:
    """Faust (aiokafka) credentials for SASL_SSL; ``None`` for PLAINTEXT.

    Args:
        settings: the protocol, SCRAM user and CA file.

    Returns:
        SCRAM-SHA-512 credentials over TLS verified against ``kafka_ca_file`` (or the system
        CAs when unset).
    """
    if settings.kafka_security_protocol != "SASL_SSL":
        return None
    # imported here: the emulator and the CLI use this module without loading Faust
    import faust

    cafile = str(settings.kafka_ca_file) if settings.kafka_ca_file is not None else None
    password = settings.kafka_sasl_password
    return faust.SASLCredentials(
        username=settings.kafka_sasl_username,
        password=password.get_secret_value() if password is not None else None,
        ssl_context=ssl.create_default_context(cafile=cafile),
        mechanism=SASL_MECHANISM,
    )

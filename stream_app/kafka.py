"""Kafka for Floodcast's clients: settings derived from ``Settings`` (confluent-kafka and
Faust), topic creation that tolerates a topic another process created first, topic names."""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from typing import TYPE_CHECKING

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from schemas.settings import Settings
from stream_app.exceptions import TopicCreationError

__all__ = [
    "SASL_MECHANISM",
    "changelog_topic",
    "client_config",
    "create_topics",
    "faust_credentials",
    "security_config",
]

if TYPE_CHECKING:
    import faust


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


def create_topics(admin: AdminClient, topics: Sequence[NewTopic], timeout: float) -> None:
    """Create ``topics``; a topic that exists already counts as created.

    Args:
        admin: a client allowed to create the topics.
        topics: what to create.
        timeout: seconds for the request and for each topic's answer.

    Raises:
        TopicCreationError: the broker refused a topic or did not answer in time.
    """
    if not topics:
        return
    for name, future in admin.create_topics(list(topics), operation_timeout=timeout).items():
        try:
            future.result(timeout=timeout)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise TopicCreationError(f"cannot create topic {name!r}: {exc}") from exc
        except TimeoutError as exc:
            raise TopicCreationError(f"creating topic {name!r} timed out") from exc


def changelog_topic(app_id: str, table: str) -> str:
    """Name of a table's changelog topic (Faust's ``<app id>-<table>-changelog``)."""
    return f"{app_id}-{table}-changelog"

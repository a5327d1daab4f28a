"""Kafka client settings derived from ``Settings`` for confluent-kafka and Faust."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from faust.types.auth import AuthProtocol, SASLMechanism
from pydantic import SecretStr, ValidationError

from schemas.settings import Settings
from stream_app.kafka import client_config, faust_credentials, security_config


def _sasl(**fields: object) -> Settings:
    return Settings(
        kafka_bootstrap="broker:9094",
        kafka_security_protocol="sasl_ssl",
        kafka_sasl_username="worker",
        kafka_sasl_password=SecretStr("s3cret"),
        **fields,
    )


def test_plaintext_adds_nothing_but_the_bootstrap() -> None:
    """PLAINTEXT settings give only ``bootstrap.servers`` and no Faust credentials."""
    settings = Settings(kafka_bootstrap="127.0.0.1:9092")
    assert client_config(settings) == {"bootstrap.servers": "127.0.0.1:9092"}
    assert security_config(settings) == {}
    assert faust_credentials(settings) is None


def test_sasl_ssl_config_carries_user_password_and_ca() -> None:
    """SASL_SSL settings (any case) give SCRAM-SHA-512 over TLS against the configured CA."""
    config = client_config(_sasl(kafka_ca_file=Path("/etc/kafka/ca.pem")))
    assert config == {
        "bootstrap.servers": "broker:9094",
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": "worker",
        "sasl.password": "s3cret",
        "ssl.ca.location": "/etc/kafka/ca.pem",
        "ssl.endpoint.identification.algorithm": "https",
    }


def test_faust_credentials_use_scram_over_tls() -> None:
    """Faust gets SCRAM-SHA-512 credentials with a verifying TLS context."""
    credentials = faust_credentials(_sasl())
    assert credentials is not None
    assert credentials.protocol == AuthProtocol.SASL_SSL
    assert credentials.mechanism == SASLMechanism.SCRAM_SHA_512
    assert (credentials.username, credentials.password) == ("worker", "s3cret")
    assert credentials.ssl_context is not None
    assert credentials.ssl_context.verify_mode == ssl.CERT_REQUIRED


def test_sasl_ssl_without_password_is_refused() -> None:
    """SASL_SSL without a password is a configuration error."""
    with pytest.raises(ValidationError, match="kafka_sasl_password"):
        Settings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="worker")

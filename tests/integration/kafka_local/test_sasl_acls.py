"""The SASL_SSL local broker: SCRAM authentication, TLS against the dev CA, enforced ACLs."""

from __future__ import annotations

import socket
import ssl
import uuid
from pathlib import Path

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
)

from floodcast.kafka_local import (
    create_acls,
)
from tests.fixtures.secured_broker import SECURED_TIMEOUT_S as _TIMEOUT_S
from tests.fixtures.secured_broker import SecuredBroker, first_consume_error, produce_one

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_wrong_password_is_refused(secured_broker: SecuredBroker) -> None:
    """A client with a known user name but a wrong password fails SCRAM authentication."""
    errors: list[KafkaError] = []
    config = {
        "bootstrap.servers": secured_broker.config.bootstrap,
        **secured_broker.security.client_config("worker", password="not-the-password"),
        "error_cb": errors.append,
    }
    admin = AdminClient(config)
    with pytest.raises(KafkaException):
        admin.list_topics(timeout=3)
    for _ in range(20):
        if errors:
            break
        admin.poll(0.25)
    assert KafkaError._AUTHENTICATION in {error.code() for error in errors}


def test_tls_handshake_verifies_against_the_dev_ca(secured_broker: SecuredBroker) -> None:
    """The listener's certificate verifies against the generated CA, and not the system CAs."""
    host, port = secured_broker.config.host, secured_broker.config.port
    trusting = ssl.create_default_context(cafile=str(secured_broker.security.tls.ca_file))
    with (
        socket.create_connection((host, port), timeout=5) as raw,
        trusting.wrap_socket(raw, server_hostname=host) as tls,
    ):
        issuer = dict(item[0] for item in tls.getpeercert()["issuer"])
    assert issuer["commonName"] == "Floodcast dev Kafka CA"
    system_only = ssl.create_default_context()
    with (
        socket.create_connection((host, port), timeout=5) as raw,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        system_only.wrap_socket(raw, server_hostname=host)


def test_emulator_may_write_readings(secured_broker: SecuredBroker) -> None:
    """The emulator principal produces to the readings topic."""
    error = produce_one(
        secured_broker.client("emulator"), secured_broker.settings.topic_readings, b"{}"
    )
    assert error is None


def test_emulator_may_not_write_predictions(secured_broker: SecuredBroker) -> None:
    """The emulator principal is refused when producing to the predictions topic."""
    error = produce_one(
        secured_broker.client("emulator"), secured_broker.settings.topic_predictions, b"{}"
    )
    assert error is not None
    assert error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_emulator_may_not_join_the_worker_group(secured_broker: SecuredBroker) -> None:
    """The emulator principal is refused when consuming readings in the worker's group."""
    settings = secured_broker.settings
    config = secured_broker.client("emulator", **{"group.id": settings.app_id})
    code = first_consume_error(config, settings.topic_readings, subscribe=True)
    assert code == KafkaError.GROUP_AUTHORIZATION_FAILED


def test_emulator_may_not_fetch_readings(secured_broker: SecuredBroker) -> None:
    """Even in a group it may use, the emulator principal is refused reading the readings topic."""
    settings = secured_broker.settings
    group = f"emulator-probe-{uuid.uuid4().hex[:8]}"
    # A group of its own isolates the topic's READ check from the group's.
    probe_group = AclBinding(
        ResourceType.GROUP,
        group,
        ResourcePatternType.LITERAL,
        "User:emulator",
        "*",
        AclOperation.READ,
        AclPermissionType.ALLOW,
    )
    create_acls(AdminClient(secured_broker.config.client_config()), [probe_group])
    config = secured_broker.client("emulator", **{"group.id": group})
    code = first_consume_error(config, settings.topic_readings, subscribe=False)
    assert code == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_worker_reads_readings_and_writes_predictions(secured_broker: SecuredBroker) -> None:
    """The worker principal consumes in its group what the emulator wrote and produces output."""
    settings = secured_broker.settings
    marker = uuid.uuid4().hex.encode()
    assert produce_one(secured_broker.client("emulator"), settings.topic_readings, marker) is None
    consumer = Consumer(
        secured_broker.client(
            "worker", **{"group.id": settings.app_id, "auto.offset.reset": "earliest"}
        )
    )
    seen: list[bytes] = []
    try:
        consumer.subscribe([settings.topic_readings])
        for _ in range(int(_TIMEOUT_S * 2)):
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error() is not None:
                pytest.fail(f"worker consume failed: {message.error()}")
            seen.append(message.value())
            if marker in seen:
                break
        consumer.commit(asynchronous=False)
    finally:
        consumer.close()
    assert marker in seen
    for topic in (settings.topic_predictions, settings.topic_dead_letters, settings.topic_alerts):
        assert produce_one(secured_broker.client("worker"), topic, b"{}") is None


def test_secrets_are_owner_only(secured_broker: SecuredBroker) -> None:
    """Passwords, keys, the properties file and the data directory are private to the owner."""
    security, config = secured_broker.security, secured_broker.config
    private = [
        security.users_file,
        security.tls.keystore_file,
        security.tls.ca_key_file,
        config.properties_file,
    ]
    for path in private:
        assert Path(path).stat().st_mode & 0o077 == 0, path
    for folder in (security.secrets_dir, config.data_dir):
        assert folder.stat().st_mode & 0o077 == 0, folder

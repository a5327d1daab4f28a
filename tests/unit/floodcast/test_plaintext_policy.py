"""Issue 13: clients speak PLAINTEXT only to loopback brokers unless explicitly allowed."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from schemas.settings import Settings


@pytest.mark.parametrize(
    "bootstrap", ["kafka:9092", "10.0.0.5:9092", "127.0.0.1:9092,broker.example:9092"]
)
def test_plaintext_toward_another_host_is_refused(bootstrap: str) -> None:
    """A PLAINTEXT client toward a broker off this machine is a settings error."""
    with pytest.raises(ValidationError, match="PLAINTEXT"):
        Settings(kafka_bootstrap=bootstrap)


@pytest.mark.parametrize(
    "bootstrap", ["127.0.0.1:9092", "localhost:9092", "[::1]:9092", "127.0.0.2:1,localhost:2"]
)
def test_plaintext_toward_loopback_is_fine(bootstrap: str) -> None:
    """Loopback brokers (the local development broker) may be reached in PLAINTEXT."""
    assert Settings(kafka_bootstrap=bootstrap).bootstrap_servers == bootstrap


def test_plaintext_toward_another_host_only_when_allowed() -> None:
    """FLOODCAST_KAFKA_ALLOW_PLAINTEXT=true (a private network) or SASL_SSL reach other hosts."""
    allowed = Settings(kafka_bootstrap="kafka:9092", kafka_allow_plaintext=True)
    assert allowed.bootstrap_servers == "kafka:9092"
    secured = Settings(
        kafka_bootstrap="kafka:9094",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_username="worker",
        kafka_sasl_password=SecretStr("s3cret"),
    )
    assert secured.bootstrap_servers == "kafka:9094"


def test_a_local_broker_on_all_interfaces_needs_the_allowance() -> None:
    """The local broker's own host setting counts too: PLAINTEXT on a LAN address is refused."""
    with pytest.raises(ValidationError, match="PLAINTEXT"):
        Settings(broker_host="192.168.1.20")

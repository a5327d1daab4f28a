"""The secured broker's credentials, TLS files and server properties, without a broker."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest
from cryptography import x509

from floodcast.kafka_local import DEFAULT_USERS, BrokerConfig, BrokerSecurity, SecurityConfigError


def test_ensure_keeps_passwords_and_files_private(tmp_path: Path) -> None:
    """Passwords are generated once, kept across calls, and every secret is owner-only."""
    first = BrokerSecurity.ensure(tmp_path / "secrets")
    second = BrokerSecurity.ensure(tmp_path / "secrets")
    assert dict(first.passwords) == dict(second.passwords)
    assert set(first.passwords) == set(DEFAULT_USERS)
    assert len(set(first.passwords.values())) == len(DEFAULT_USERS)
    stored = json.loads(first.users_file.read_text())
    assert stored == dict(first.passwords)
    for path in (first.users_file, first.tls.keystore_file, first.tls.ca_key_file):
        assert path.stat().st_mode & 0o077 == 0, path
    assert first.secrets_dir.stat().st_mode & 0o077 == 0


def test_broker_certificate_is_signed_by_the_ca_for_loopback(tmp_path: Path) -> None:
    """The broker's certificate chains to the dev CA and names the loopback address."""
    security = BrokerSecurity.ensure(tmp_path, hosts=("127.0.0.1", "localhost"))
    cert = x509.load_pem_x509_certificate(security.tls.keystore_file.read_bytes())
    ca = x509.load_pem_x509_certificate(security.tls.ca_file.read_bytes())
    cert.verify_directly_issued_by(ca)
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    context = ssl.create_default_context(cafile=str(security.tls.ca_file))
    context.load_cert_chain(security.tls.keystore_file)  # key and certificate match


def test_secured_config_replaces_the_plaintext_listener(tmp_path: Path) -> None:
    """With security, the only client listener is SASL_SSL and ACLs default to deny."""
    security = BrokerSecurity.ensure(tmp_path / "secrets")
    properties = BrokerConfig(tmp_path / "b", port=9500, security=security).server_properties()
    assert properties["listeners"] == "SASL_SSL://127.0.0.1:9500,CONTROLLER://127.0.0.1:9093"
    assert "PLAINTEXT:" not in properties["listener.security.protocol.map"]
    assert properties["allow.everyone.if.no.acl.found"] == "false"
    assert properties["super.users"] == "User:admin"
    plain = BrokerConfig(tmp_path / "b", port=9500).server_properties()
    assert plain["listeners"].startswith("PLAINTEXT://")


def test_format_arguments_create_every_user(tmp_path: Path) -> None:
    """kafka-storage format gets one --add-scram per user, with its password."""
    security = BrokerSecurity(tmp_path, {"admin": "a1", "worker": "w2"})
    assert security.scram_format_arguments() == [
        "--add-scram",
        "SCRAM-SHA-512=[name=admin,password=a1]",
        "--add-scram",
        "SCRAM-SHA-512=[name=worker,password=w2]",
    ]


def test_unknown_user_and_missing_admin_are_refused(tmp_path: Path) -> None:
    """A client for an unknown user, or credentials without the admin, are config errors."""
    with pytest.raises(SecurityConfigError):
        BrokerSecurity(tmp_path, {"worker": "w"})
    with pytest.raises(SecurityConfigError):
        BrokerSecurity(tmp_path, {"admin": "a"}).client_config("nobody")


def test_ensure_adds_new_users_to_existing_credentials(tmp_path: Path) -> None:
    """Credentials stored before a user was added keep their passwords and gain the new user."""
    secrets_dir = tmp_path / "secrets"
    older = BrokerSecurity.ensure(secrets_dir, users=("admin", "worker"))
    newer = BrokerSecurity.ensure(secrets_dir, users=("admin", "worker", "monitor"))
    assert {user: newer.passwords[user] for user in older.passwords} == dict(older.passwords)
    assert set(newer.passwords) == {"admin", "worker", "monitor"}
    assert json.loads(newer.users_file.read_text()) == dict(newer.passwords)


def test_client_properties_file_is_owner_only_and_complete(tmp_path: Path) -> None:
    """The Java client properties of a user hold SASL_SSL, SCRAM, its JAAS login and the CA,
    in an owner-only file under the secrets folder that is kept when nothing changed."""
    security = BrokerSecurity.ensure(tmp_path / "secrets", users=("admin", "worker"))
    path = security.write_client_properties("admin")
    password = security.passwords["admin"]
    assert path.parent == security.secrets_dir
    assert path.stat().st_mode & 0o777 == 0o600
    entries = dict(
        line.split("=", 1) for line in path.read_text().splitlines() if not line.startswith("#")
    )
    assert entries == {
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.jaas.config": (
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            f'username="admin" password="{password}";'
        ),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(security.tls.ca_file),
        "ssl.endpoint.identification.algorithm": "https",
    }
    inode = path.stat().st_ino
    assert security.write_client_properties("admin") == path
    assert path.stat().st_ino == inode
    assert security.write_client_properties("worker") != path


def test_client_properties_escape_quotes_and_backslashes(tmp_path: Path) -> None:
    """A password with a quote and a backslash is escaped for JAAS, then for .properties."""
    security = BrokerSecurity(tmp_path, {"admin": 'a"b\\c'})
    jaas = security.java_client_properties("admin")["sasl.jaas.config"]
    assert jaas.endswith('password="a\\"b\\\\c";')
    line = next(
        line
        for line in security.write_client_properties("admin").read_text().splitlines()
        if line.startswith("sasl.jaas.config=")
    )
    assert line.endswith('password="a\\\\"b\\\\\\\\c";')
    with pytest.raises(SecurityConfigError):
        security.java_client_properties("nobody")

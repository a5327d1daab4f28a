"""A local certificate authority and a server certificate for development TLS."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from floodcast.api.exceptions import CertificateError

__all__ = ["DEFAULT_HOSTS", "DevCertificates", "make_dev_certificates"]

DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True, slots=True)
class DevCertificates:
    """Where the development CA and server certificate were written (PEM files)."""

    ca_cert: Path
    ca_key: Path
    server_cert: Path
    server_key: Path


def make_dev_certificates(
    folder: Path,
    hosts: Sequence[str] = DEFAULT_HOSTS,
    *,
    days: int = 90,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> DevCertificates:
    """Make a CA and a server certificate for ``hosts`` signed by it (P-256, SHA-256).

    Private keys are written 0600 in a 0700 folder. Clients trust ``ca_cert``; the server
    presents ``server_cert`` with ``server_key``.

    Args:
        folder: output folder (created).
        hosts: DNS names and IP addresses the server certificate is valid for.
        days: validity of both certificates.
        clock: time the validity starts from.

    Raises:
        CertificateError: no hosts, or the folder cannot be written.
    """
    if not hosts:
        raise CertificateError("a server certificate needs at least one host name or address")
    now = clock()
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Floodcast development CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now, days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    server_cert = (
        _builder(server_name, ca_name, server_key.public_key(), now, days)
        .add_extension(x509.SubjectAlternativeName([_san(h) for h in hosts]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = DevCertificates(
        ca_cert=folder / "ca.pem",
        ca_key=folder / "ca-key.pem",
        server_cert=folder / "server.pem",
        server_key=folder / "server-key.pem",
    )
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        _write(paths.ca_key, _private_pem(ca_key), 0o600)
        _write(paths.server_key, _private_pem(server_key), 0o600)
        _write(paths.ca_cert, ca_cert.public_bytes(serialization.Encoding.PEM), 0o644)
        _write(paths.server_cert, server_cert.public_bytes(serialization.Encoding.PEM), 0o644)
    except OSError as exc:
        raise CertificateError(f"cannot write certificates into {folder}: {exc}") from exc
    return paths


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    now: datetime,
    days: int,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        # a minute of slack for clocks that differ slightly
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=days))
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _san(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` created with ``mode`` (replacing any older file)."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)

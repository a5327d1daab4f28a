"""A development certificate authority and the broker's TLS certificate, as PEM files."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["DevTls", "write_private_file"]

_VALID_DAYS = 825  # the longest validity clients accept for a server certificate


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable and writable by the owner only (mode 0600).

    Args:
        path: the file; replaced when it exists.
        data: its new content.
    """
    path.unlink(missing_ok=True)
    # Created 0600 from the start, so the secret is never briefly world-readable.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


@dataclass(frozen=True)
class DevTls:
    """The PEM files of a development CA and of a broker certificate it signed.

    ``keystore_file`` holds the broker's unencrypted PKCS#8 key followed by its certificate,
    the layout Kafka reads with ``ssl.keystore.type=PEM``; ``ca_file`` is the truststore.
    """

    directory: Path

    @property
    def ca_file(self) -> Path:
        """The CA certificate clients verify the broker against."""
        return self.directory / "ca.pem"

    @property
    def ca_key_file(self) -> Path:
        """The CA's private key."""
        return self.directory / "ca-key.pem"

    @property
    def keystore_file(self) -> Path:
        """The broker's private key and certificate."""
        return self.directory / "broker-keystore.pem"

    def exists(self) -> bool:
        """Whether all the files are there."""
        return all(p.is_file() for p in (self.ca_file, self.ca_key_file, self.keystore_file))

    @classmethod
    def ensure(cls, directory: Path, hosts: Sequence[str]) -> DevTls:
        """The CA and broker certificate in ``directory``, made when missing.

        Args:
            directory: where the PEM files live (created mode 0700).
            hosts: names and IP addresses the broker certificate must be valid for.

        Returns:
            The files.
        """
        tls = cls(Path(directory))
        if tls.exists():
            return tls
        tls.directory.mkdir(parents=True, exist_ok=True)
        tls.directory.chmod(0o700)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Floodcast dev Kafka CA")])
        now = dt.datetime.now(dt.UTC)
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=_VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=_VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(_alt_names(hosts)), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        pkcs8 = serialization.PrivateFormat.PKCS8
        plain = serialization.NoEncryption()
        write_private_file(tls.ca_key_file, ca_key.private_bytes(pem, pkcs8, plain))
        write_private_file(
            tls.keystore_file, key.private_bytes(pem, pkcs8, plain) + cert.public_bytes(pem)
        )
        write_private_file(tls.ca_file, ca_cert.public_bytes(pem))
        return tls


def _alt_names(hosts: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names

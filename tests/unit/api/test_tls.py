"""TLS: the development CA's server certificate serves the API over a real loopback handshake."""

from __future__ import annotations

import socket
import ssl
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from cryptography import x509
from fastapi import FastAPI

from floodcast.api.dev_certificates import DevCertificates, make_dev_certificates
from floodcast.api.exceptions import InsecureBindError
from floodcast.api.server import server_config
from tests.helpers.api_server import free_port, running


@pytest.fixture
def certificates(tmp_path: Path) -> DevCertificates:
    return make_dev_certificates(tmp_path / "tls", ("localhost", "127.0.0.1"))


@pytest.fixture
def tls_server(app: FastAPI, certificates: DevCertificates) -> Iterator[str]:
    """The API served by uvicorn with the development certificate; yields its base URL."""
    port = free_port()
    config = server_config(
        app,
        "127.0.0.1",
        port,
        certfile=certificates.server_cert,
        keyfile=certificates.server_key,
    )
    with running(config, f"https://127.0.0.1:{port}") as url:
        yield url


def test_handshake_verifies_against_the_ca(tls_server: str, certificates) -> None:
    """A client trusting only the development CA completes TLS 1.2+ and gets an answer."""
    context = ssl.create_default_context(cafile=str(certificates.ca_cert))
    with httpx2.Client(verify=context) as client:
        response = client.get(f"{tls_server}/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    host, port = tls_server.removeprefix("https://").split(":")
    with (
        socket.create_connection((host, int(port)), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        assert tls.version() in {"TLSv1.2", "TLSv1.3"}
        peer = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
    ca = x509.load_pem_x509_certificate(certificates.ca_cert.read_bytes())
    assert peer.issuer == ca.subject


def test_client_without_the_ca_refuses_the_server(tls_server: str) -> None:
    """The system trust store does not know the development CA: verification fails."""
    with (
        httpx2.Client(verify=ssl.create_default_context()) as client,
        pytest.raises(httpx2.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get(f"{tls_server}/healthz")


def test_private_keys_are_owner_only(certificates: DevCertificates) -> None:
    """Keys are 0600, their folder 0700; certificates are world-readable."""
    mode = lambda path: stat.S_IMODE(path.stat().st_mode)  # noqa: E731
    assert mode(certificates.ca_key) == mode(certificates.server_key) == 0o600
    assert mode(certificates.ca_key.parent) == 0o700
    assert mode(certificates.server_cert) == 0o644


def test_server_certificate_names_its_hosts(certificates: DevCertificates) -> None:
    """The server certificate covers the DNS name and the IP address it was made for."""
    cert = x509.load_pem_x509_certificate(certificates.server_cert.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]


def test_plain_http_beyond_loopback_is_refused(app: FastAPI) -> None:
    """Without a certificate the API only listens on loopback."""
    with pytest.raises(InsecureBindError):
        server_config(app, "0.0.0.0", 8443)  # noqa: S104 -- the address under test
    assert server_config(app, "127.0.0.1", 8443).ssl_certfile is None

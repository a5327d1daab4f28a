"""Run the API under uvicorn, with TLS when a certificate is configured."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from floodcast.api.exceptions import InsecureBindError

__all__ = ["SHUTDOWN_GRACE_SECONDS", "is_loopback", "server_config"]

SHUTDOWN_GRACE_SECONDS = 3
"""On shutdown, requests still open after this long (event streams) are cancelled."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_config(
    app: FastAPI,
    host: str,
    port: int,
    *,
    certfile: Path | None = None,
    keyfile: Path | None = None,
) -> uvicorn.Config:
    """uvicorn's configuration for ``app``.

    Raises:
        InsecureBindError: plain HTTP was asked for on an address other than loopback, or only
            one of certificate and key is given.
    """
    if (certfile is None) != (keyfile is None):
        raise InsecureBindError("TLS needs both a certificate and its private key")
    if certfile is None and not is_loopback(host):
        raise InsecureBindError(
            f"refusing plain HTTP on {host}: set FLOODCAST_API_TLS_CERTFILE and "
            "FLOODCAST_API_TLS_KEYFILE (see `floodcast certs`), or listen on loopback"
        )
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=False,
        lifespan="on",
        # Open event streams (the operator page's /v1/live) never end by themselves.
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )

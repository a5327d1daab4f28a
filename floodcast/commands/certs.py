"""``floodcast certs``: a local CA and a server certificate for the API in development."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def certs(
    out: Annotated[
        Path | None,
        typer.Option(help="Output folder.", show_default="<FLOODCAST_DATA_DIR>/tls"),
    ] = None,
    host: Annotated[
        list[str] | None,
        typer.Option("--host", help="Name or address the server certificate covers (repeatable)."),
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=825, help="Validity in days.")] = 90,
) -> None:
    """Write ca.pem, ca-key.pem, server.pem and server-key.pem (keys 0600, folder 0700)."""
    from floodcast.api.dev_certificates import DEFAULT_HOSTS, make_dev_certificates
    from floodcast.api.exceptions import CertificateError
    from schemas.settings import get_settings

    folder = out or get_settings().data_dir / "tls"
    try:
        paths = make_dev_certificates(folder, tuple(host or DEFAULT_HOSTS), days=days)
    except CertificateError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"FLOODCAST_API_TLS_CERTFILE={paths.server_cert}")
    typer.echo(f"FLOODCAST_API_TLS_KEYFILE={paths.server_key}")
    typer.echo(f"clients trust {paths.ca_cert}", err=True)


def register(app: typer.Typer) -> None:
    """Attach the ``certs`` command to ``app``."""
    app.command("certs")(certs)

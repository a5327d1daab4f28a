"""``floodcast api``: serve the REST API (TLS when a certificate is configured)."""

from __future__ import annotations

from typing import Annotated

import typer


def api(
    host: Annotated[
        str | None, typer.Option(help="Listen address.", show_default="FLOODCAST_API_HOST")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Listen port.", show_default="FLOODCAST_API_PORT")
    ] = None,
    follow: Annotated[
        bool | None,
        typer.Option(
            "--follow/--no-follow",
            help="Follow the predictions topic for the latest flood paths.",
            show_default="FLOODCAST_API_FOLLOW_PREDICTIONS",
        ),
    ] = None,
) -> None:
    """Serve predictions, the latest flood paths and the model over HTTPS until interrupted."""
    # Imported here: the API's stack is not needed by the other commands.
    import uvicorn

    from converters.exceptions import PackageError
    from floodcast.api import build_services, create_app
    from floodcast.api.exceptions import ApiError
    from floodcast.api.server import server_config
    from schemas.settings import get_settings
    from stream_app.blas_threads import single_threaded_blas

    settings = get_settings()
    try:
        services = build_services(settings, follow_predictions=follow)
        config = server_config(
            create_app(services),
            host or settings.api_host,
            port or settings.api_port,
            certfile=settings.api_tls_certfile,
            keyfile=settings.api_tls_keyfile,
        )
    except PackageError as exc:
        typer.echo(f"error: cannot use the model package: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    except ApiError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    single_threaded_blas()  # requests run side by side in threads; BLAS's own would crowd them
    uvicorn.Server(config).run()


def register(app: typer.Typer) -> None:
    """Attach the ``api`` command to ``app``."""
    app.command("api")(api)

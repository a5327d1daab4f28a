"""``floodcast worker``: run the stream worker until SIGTERM or SIGINT."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def worker(
    model: Annotated[
        Path | None,
        typer.Option(help="Model package folder.", show_default="FLOODCAST_MODEL_PATH"),
    ] = None,
) -> None:
    """Consume gauge readings, publish flood-path predictions and dead letters (JSON logs)."""
    from converters.exceptions import PackageError

    # Imported here: Faust is heavy, and the other commands do not need it.
    from floodcast.monitoring.worker_monitoring import WorkerMonitoring
    from schemas.settings import get_settings
    from stream_app.worker import run_worker

    settings = get_settings()
    if model is not None:
        settings = settings.model_copy(update={"model_path": model})
    try:
        run_worker(settings, WorkerMonitoring)
    except PackageError as exc:
        typer.echo(f"error: cannot use the model package: {exc}", err=True)
        raise typer.Exit(code=1) from exc


def register(app: typer.Typer) -> None:
    """Attach the ``worker`` command to ``app``."""
    app.command("worker")(worker)

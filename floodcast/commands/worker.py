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
    processes: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes in one consumer group (partitions are the unit of scale);"
            " each serves metrics on metrics_port + its index.",
        ),
    ] = 1,
) -> None:
    """Consume gauge readings, publish flood-path predictions and dead letters (JSON logs)."""
    if processes > 1:
        from floodcast.worker_group import run_worker_group
        from schemas.settings import get_settings

        args = ["--model", str(model)] if model is not None else []
        raise typer.Exit(code=run_worker_group(get_settings(), processes, args))
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

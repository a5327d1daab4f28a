"""``floodcast demo``: broker, worker and simulated gauges, with flood paths live on screen."""

from __future__ import annotations

from typing import Annotated

import typer


def demo(
    basin: Annotated[
        list[str] | None, typer.Option(help="Basin to play (repeatable; default: all built-in).")
    ] = None,
    storm: Annotated[str, typer.Option(help="convective, frontal, stalled or random.")] = "stalled",
    hours: Annotated[float | None, typer.Option(help="Simulated hours.", show_default="30")] = None,
    speedup: Annotated[
        float | None, typer.Option(help="Event time runs this much faster.", show_default="360")
    ] = None,
    duration: Annotated[
        float | None,
        typer.Option(help="Stop after this many seconds (default: when the storm ends)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Simulation seed.")] = 0,
    keep_topics: Annotated[bool, typer.Option(help="Keep the run's topics afterwards.")] = False,
    web: Annotated[
        bool,
        typer.Option(
            help="Serve the operator page (the REST API on FLOODCAST_API_HOST:FLOODCAST_API_PORT) "
            "and print its URL and a key for the run."
        ),
    ] = False,
) -> None:
    """Start the broker (unless one is configured), the worker and the gauges; show the paths."""
    from rich.console import Console

    # Imported here: the demo loads the emulator, the simulator and the Kafka clients.
    from floodcast.demo import DemoOptions, run_demo
    from floodcast.exceptions import DemoError
    from schemas.settings import get_settings

    options = DemoOptions(
        basins=tuple(basin or ()),
        storm=storm,
        hours=DemoOptions.hours if hours is None else hours,
        speedup=DemoOptions.speedup if speedup is None else speedup,
        duration_seconds=duration,
        seed=seed,
        keep_topics=keep_topics,
        web=web,
    )
    try:
        board = run_demo(get_settings(), options, Console())
    except DemoError as exc:
        typer.echo(f"demo failed: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    if not board.predictions_seen:
        typer.echo("no prediction arrived; see the worker log", err=True)
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Attach ``demo`` to ``app``."""
    app.command("demo")(demo)

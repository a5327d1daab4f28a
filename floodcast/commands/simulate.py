"""``floodcast simulate``: play simulated rain-gauge readings into Kafka, faults included."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, get_args

import typer

if TYPE_CHECKING:  # the emulator loads the simulator; the command imports it when it runs
    from floodcast.emulator import EmulatorProgress, Pacing


def _pacing(rate: float | None, speedup: float | None, max_speed: bool) -> Pacing:
    from floodcast.emulator import Pacing

    given = (
        ("--rate", rate is not None),
        ("--speedup", speedup is not None),
        ("--max-speed", max_speed),
    )
    chosen = [flag for flag, on in given if on]
    if len(chosen) > 1:
        raise typer.BadParameter(f"choose one of {', '.join(chosen)}")
    if rate is not None:
        return Pacing.rate(rate)
    if speedup is not None:
        return Pacing.speedup(speedup)
    return Pacing.max_speed()


def _hours(days: float | None, hours: float | None) -> float:
    if days is not None and hours is not None:
        raise typer.BadParameter("give --days or --hours, not both")
    if days is not None:
        return days * 24.0
    return 48.0 if hours is None else hours


def _print_progress(progress: EmulatorProgress) -> None:
    end = "\r" if sys.stderr.isatty() else "\n"
    print(progress.line(), end=end, file=sys.stderr, flush=True)


@contextmanager
def _stop_on_interrupt(stop: threading.Event) -> Iterator[None]:
    """Turn Ctrl-C into a clean stop: finish the step, flush, and still print the report."""
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def simulate(
    basin: Annotated[
        list[str] | None,
        typer.Option("--basin", "-b", help="Built-in basin id; repeat for several (default: all)."),
    ] = None,
    storm: Annotated[
        str,
        typer.Option(
            help="convective, frontal or stalled (a preset storm over each basin), or random."
        ),
    ] = "random",
    days: Annotated[float | None, typer.Option(min=0.0, help="Simulated days.")] = None,
    hours: Annotated[
        float | None, typer.Option(min=0.0, help="Simulated hours (default 48).")
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Seed of simulation and faults.")] = 0,
    rate: Annotated[float | None, typer.Option(min=0.0, help="Readings per second.")] = None,
    speedup: Annotated[
        float | None,
        typer.Option(min=0.0, help="Event-time speed-up (60: a simulated hour per minute)."),
    ] = None,
    max_speed: Annotated[
        bool, typer.Option("--max-speed", help="As fast as possible (the default).")
    ] = False,
    faults: Annotated[
        str,
        typer.Option(
            help="Comma-separated, e.g. duplicates=0.01,malformed=0.005,late=0.01,"
            "too_late=0.005,offline=GAUGE[@STEP]; each malformed kind (nan, oversize, ...) "
            "can have its own probability."
        ),
    ] = "",
    observations: Annotated[
        bool, typer.Option(help="Also publish the simulator's flooded reaches per step.")
    ] = True,
    river_levels: Annotated[
        bool | None,
        typer.Option(
            "--river-levels/--no-river-levels",
            help="Also publish the stage sensors' readings"
            " (default: FLOODCAST_EMULATE_RIVER_LEVELS, on).",
        ),
    ] = None,
    forecasts: Annotated[
        bool,
        typer.Option(
            help="Also publish each basin's hourly rain forecasts (rain-forecasts topic)."
        ),
    ] = False,
    live_time: Annotated[
        bool,
        typer.Option("--live-time/--sim-time", help="Anchor event time at now, or keep it."),
    ] = False,
    sequence_offset: Annotated[int, typer.Option(min=0, help="First sequence number.")] = 0,
    pack_size: Annotated[
        int,
        typer.Option(
            min=1,
            max=256,
            help="Send each gauge's readings of this many steps as one SenML pack (RFC 8428).",
        ),
    ] = 1,
    bootstrap: Annotated[
        str | None, typer.Option(help="Kafka bootstrap servers (default: from settings).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress line.")] = False,
) -> None:
    """Simulate basins and publish their gauges' readings; print what was sent."""
    from pydantic import ValidationError

    from floodcast.emulator import (
        EmulatorConfig,
        EmulatorConfigError,
        FaultConfig,
        PublishError,
        StormChoice,
        run_emulator,
    )

    if storm not in get_args(StormChoice):
        choices = ", ".join(get_args(StormChoice))
        raise typer.BadParameter(f"{storm!r} is not one of {choices}", param_hint="--storm")
    from schemas.settings import get_settings
    from stream_app.kafka import security_config

    try:
        config = EmulatorConfig(
            basins=tuple(basin or ()),
            storm=storm,
            hours=_hours(days, hours),
            seed=seed,
            pacing=_pacing(rate, speedup, max_speed),
            faults=FaultConfig.parse(faults),
            observations=observations,
            **({} if river_levels is None else {"river_levels": river_levels}),
            forecasts=forecasts,
            time_anchor="live" if live_time else "simulation",
            sequence_offset=sequence_offset,
            pack_size=pack_size,
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in exc.errors()
        )
        raise typer.BadParameter(problems) from exc
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    stop = threading.Event()
    target = bootstrap or get_settings().bootstrap_servers
    typer.echo(
        f"simulating {', '.join(config.basins) or 'all basins'} ({config.hours:g} h, "
        f"storm {config.storm}); publishing to {target} at {config.pacing.describe()}",
        err=True,
    )
    try:
        with _stop_on_interrupt(stop):
            report = run_emulator(
                config,
                bootstrap=target,
                stop=stop,
                progress=None if quiet else _print_progress,
                security=security_config(get_settings()),
            )
    except EmulatorConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    except PublishError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    if not quiet and sys.stderr.isatty():
        print(file=sys.stderr)
    typer.echo(report.summary())
    if report.delivery_failures:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Attach the ``simulate`` command to ``app``."""
    app.command("simulate")(simulate)

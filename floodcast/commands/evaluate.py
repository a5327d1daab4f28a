"""``floodcast evaluate``: fresh storms through broker and worker, scored as in training."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer

_TABLE_WIDTH = 140


def evaluate(
    seed: Annotated[
        int,
        typer.Option(min=0, help="Simulation seed; must not be one the model was trained on."),
    ] = 7,
    days: Annotated[float, typer.Option(min=0.5, help="Simulated days per basin.")] = 30.0,
    storms: Annotated[
        str,
        typer.Option(
            help="random (drawn from the storm climate), or one preset storm over each basin: "
            "convective, frontal, stalled."
        ),
    ] = "random",
    basin: Annotated[
        list[str] | None,
        typer.Option("--basin", "-b", help="Basin to evaluate (repeatable; default: all)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model package (default: FLOODCAST_MODEL_PATH).")
    ] = None,
    speedup: Annotated[
        float | None,
        typer.Option(min=1.0, help="Event-time speed-up of the gauges (default: as fast as sent)."),
    ] = None,
    faults: Annotated[
        str,
        typer.Option(
            help="The gauges' faults, as floodcast simulate takes them (e.g. late=0.01,"
            "too_late=0.005,offline=GAUGE@STEP); default none."
        ),
    ] = "",
    inputs: Annotated[
        str,
        typer.Option(
            help="all: rain readings, river levels and rain forecasts (the model's full inputs); "
            "rain: the gauges' readings only."
        ),
    ] = "all",
    chunk_hours: Annotated[
        float,
        typer.Option(
            min=0.25,
            help="Event time played at a time; each chunk waits until the worker has read the "
            "river levels and forecasts before it.",
        ),
    ] = 24.0,
    replicates: Annotated[
        int, typer.Option(min=10, help="Event-bootstrap resamples for the 95 % intervals.")
    ] = 1000,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write every score to this JSON file.")
    ] = None,
    keep_topics: Annotated[bool, typer.Option(help="Keep the run's topics afterwards.")] = False,
) -> None:
    """Score what the running stream publishes against the flood observations, beside the same
    model scored offline and persistence, on every (reach, 15-min step) of fresh storms."""
    from rich.console import Console

    # Imported here: the evaluation loads the simulator, the emulator and ONNX Runtime.
    from floodcast.emulator import StormChoice
    from floodcast.evaluation import (
        EvaluationError,
        EvaluationOptions,
        Inputs,
        evaluate_stream,
        evaluation_table,
        write_json,
    )
    from floodcast.exceptions import FloodcastError
    from schemas.settings import get_settings

    if storms not in get_args(StormChoice):
        raise typer.BadParameter(
            f"choose one of {', '.join(get_args(StormChoice))}", param_hint="--storms"
        )
    if inputs not in get_args(Inputs):
        raise typer.BadParameter(
            f"choose one of {', '.join(get_args(Inputs))}", param_hint="--inputs"
        )
    settings = get_settings()
    options = EvaluationOptions(
        seed=seed,
        days=days,
        storms=storms,  # type: ignore[arg-type]
        basins=tuple(basin or ()),
        speedup=speedup,
        faults=faults,
        inputs=inputs,  # type: ignore[arg-type]
        chunk_hours=chunk_hours,
        replicates=replicates,
        keep_topics=keep_topics,
    )
    console = Console()
    if not console.is_terminal:  # a log or a pipe: wide enough for the table's intervals
        console = Console(width=max(console.width, _TABLE_WIDTH))
    try:
        result = evaluate_stream(settings, model or settings.model_path, options, console)
    except (EvaluationError, FloodcastError) as exc:
        typer.echo(f"evaluation failed: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    console.print(evaluation_table(result))
    for outcome in result.basins:
        m = outcome.matching
        console.print(
            f"{outcome.basin_id}: {m.published} predictions read, {m.matched} matched to a step, "
            f"{m.unmatched} unmatched, {m.repeats} repeats; {m.steps_without_prediction} steps "
            f"before the first; {outcome.disagreeing_rows} of {outcome.rows} rows warned "
            "differently by stream and offline"
        )
    for name, side in result.playback.sides.items():
        c = side.counts
        console.print(
            f"{name.replace('_', ' ')}: {side.sent} sent, {c.scored} scored, {c.pending} pending, "
            f"{c.deduplicated} deduplicated, {c.dead_letters} dead-lettered ({side.too_late} too "
            f"late){'' if side.balanced else '; NOT BALANCED'}"
        )
    if json_path is not None:
        write_json(result, json_path)
        console.print(f"wrote {json_path}")


def register(app: typer.Typer) -> None:
    """Attach ``evaluate`` to ``app``."""
    app.command("evaluate")(evaluate)

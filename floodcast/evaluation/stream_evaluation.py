"""``floodcast evaluate``: the skill of what the running stream publishes, beside offline.

Fresh storms (a seed the model was not trained on) are simulated, played through the real
broker and worker, and every (reach, 15-minute step) is verified as the trainer verifies
held-out storms: the stream's held paths (``held_paths``), the same model scored offline on
the same storms (``offline_forecast``), and persistence, all against the flood observations
the emulator published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray
from rich.console import Console

from converters.features.rain_forecast import ForecastRecord
from converters.model_package import ModelPackage, load_package
from converters.skill import Interval
from floodcast.catchment import Simulation, list_basins
from floodcast.emulator import (
    EmulatorConfig,
    FaultConfig,
    MessagePlanner,
    Pacing,
    StormChoice,
    build_simulations,
)
from floodcast.evaluation.exceptions import (
    EvaluationConfigError,
    PackageMismatchError,
    TrainingSeedError,
)
from floodcast.evaluation.forecast_grid import ForecastGrid
from floodcast.evaluation.held_paths import HeldPaths, PathMatching, hold_paths
from floodcast.evaluation.observed_truth import observed_flooding
from floodcast.evaluation.offline_forecast import OfflineForecaster, as_published
from floodcast.evaluation.run_steps import RunSteps
from floodcast.evaluation.storm_verification import (
    BasinRun,
    Climatology,
    StormVerification,
    skill_scores,
)
from floodcast.evaluation.stream_playback import Playback, play_through_stream
from schemas import FloodObservation, FloodPathPrediction
from schemas.settings import Settings

__all__ = [
    "DEFAULT_SEED",
    "BasinOutcome",
    "EvaluationOptions",
    "Inputs",
    "StreamEvaluation",
    "evaluate_stream",
]

DEFAULT_SEED = 7
"""Not a training seed: the default package trains on 20261125 and the next basin seeds."""
M = TypeVar("M", FloodPathPrediction, FloodObservation)
Inputs = Literal["all", "rain"]
"""What the evaluation plays: rain readings, river levels and rain forecasts; or rain only."""
STREAM, OFFLINE, OFFLINE_AS_PATH, PERSISTENCE = (
    "stream",
    "offline",
    "offline_as_path",
    "persistence",
)


@dataclass(frozen=True)
class EvaluationOptions:
    """What to simulate and how to play it."""

    seed: int = DEFAULT_SEED
    days: float = 30.0
    storms: StormChoice = "random"
    basins: tuple[str, ...] = ()
    speedup: float | None = None
    """Event-time speed-up of the emulator; None sends as fast as the producer goes."""
    faults: str = ""
    """The emulator's fault specification (``FaultConfig.parse``), e.g. ``late=0.01``."""
    inputs: Inputs = "all"
    """``all``: the model's full inputs (its first row); ``rain``: the gauges only."""
    chunk_hours: float = 24.0
    """Event time played per chunk, each held back until the worker has read the river levels
    and forecasts sent before it (``WorkerProgress``)."""
    replicates: int = 1000
    """Event-bootstrap resamples for the 95 % intervals."""
    keep_topics: bool = False


@dataclass(frozen=True)
class BasinOutcome:
    """One basin's matching of published paths, and its rows where stream and offline differ."""

    basin_id: str
    matching: PathMatching
    disagreeing_rows: int
    rows: int


@dataclass(frozen=True, eq=False)
class StreamEvaluation:
    """Scores of each forecast on the same rows, and what the run put through the stream."""

    options: EvaluationOptions
    model_path: Path
    model_sha256: str
    threshold: float
    horizon_hours: int
    rows: int
    events: int
    scores: dict[str, dict[str, Interval]]
    basins: tuple[BasinOutcome, ...]
    observations_match_simulation: bool
    playback: Playback

    @property
    def unmatched_predictions(self) -> int:
        """Published predictions that fell on no step of the run (should be 0)."""
        return sum(b.matching.unmatched for b in self.basins)

    @property
    def disagreeing_rows(self) -> int:
        """Rows warned by the stream but not offline, or the other way round."""
        return sum(b.disagreeing_rows for b in self.basins)


def _training_config(package: ModelPackage) -> Mapping[str, Any]:
    """The ``TrainingConfig`` the package records (empty for a package built otherwise)."""
    config = package.manifest.training.get("config")
    return config if isinstance(config, Mapping) else {}


def _check_seed(package: ModelPackage, seed: int) -> None:
    """Refuse a seed whose simulations the model was trained (and thresholded) on."""
    config = _training_config(package)
    if "seed" not in config:
        return
    trained = int(config["seed"])
    basins = config.get("basins") or ()
    # the trainer seeds basin i with its seed + i
    used = {trained + i for i in range(max(len(basins), 1))}
    if seed in used:
        raise TrainingSeedError(
            f"seed {seed} replays training storms (the package was trained on seeds "
            f"{sorted(used)}); choose another"
        )


def _climatology(package: ModelPackage) -> Climatology:
    metrics = package.manifest.metrics
    try:
        return Climatology(metrics["climatology_flood_rate"], metrics["climatology_eta_hours"])
    except KeyError as exc:
        raise PackageMismatchError(
            "the package's manifest has no training climatology (climatology_flood_rate, "
            "climatology_eta_hours): train it again with this version"
        ) from exc


def _emulator_config(options: EvaluationOptions) -> EmulatorConfig:
    config = EmulatorConfig(
        basins=options.basins,
        storm=options.storms,
        hours=options.days * 24.0,
        seed=options.seed,
        pacing=Pacing.max_speed() if options.speedup is None else Pacing.speedup(options.speedup),
        observations=True,
        river_levels=options.inputs == "all",
        forecasts=options.inputs == "all",
        faults=FaultConfig.parse(options.faults),
    )
    end = config.start.timestamp() + config.hours * 3600
    if end > datetime.now(UTC).timestamp():
        raise EvaluationConfigError(
            f"{options.days} days from {config.start:%Y-%m-%d} end in the future: the worker "
            "would refuse readings from the future; ask for fewer days"
        )
    return config


def _by_basin(messages: Iterable[M]) -> dict[str, list[M]]:
    grouped: dict[str, list[M]] = defaultdict(list)
    for message in messages:
        grouped[message.basin_id].append(message)
    return grouped


def _verify(
    package: ModelPackage,
    simulations: Sequence[Simulation],
    playback: Playback,
    stage: Mapping[str, NDArray[np.float64]],
    forecasts: Mapping[str, ForecastRecord],
) -> tuple[StormVerification, dict[str, list[ForecastGrid]], list[HeldPaths], bool]:
    """Truth from the observations, the held stream paths, the offline forecast, persistence."""
    forecaster = OfflineForecaster(package)
    predictions = _by_basin(playback.predictions)
    observations = _by_basin(playback.observations)
    grids: dict[str, list[ForecastGrid]] = defaultdict(list)
    runs, held_all, match = [], [], True
    for sim in simulations:
        basin = sim.basin
        steps = RunSteps(sim.start, sim.step_minutes, sim.n_steps)
        flooded = observed_flooding(observations[basin.basin_id], basin.reach_ids, steps)
        match &= bool(np.array_equal(flooded, sim.flooded))
        held = hold_paths(predictions[basin.basin_id], basin.reach_ids, steps)
        offline = forecaster.forecast(sim, stage.get(basin.basin_id), forecasts.get(basin.basin_id))
        runs.append(BasinRun(flooded=flooded, event_id=sim.event_id))
        held_all.append(held)
        grids[STREAM].append(held.grid)
        grids[OFFLINE].append(offline)
        grids[OFFLINE_AS_PATH].append(as_published(offline))
        grids[PERSISTENCE].append(ForecastGrid.from_rule(flooded))
    verification = StormVerification(
        runs,
        horizon_hours=package.manifest.horizon_hours,
        min_lead_hours=float(_training_config(package).get("min_lead_hours", 1.0)),
        climatology=_climatology(package),
    )
    return verification, grids, held_all, match


def evaluate_stream(
    settings: Settings, model_path: Path, options: EvaluationOptions, console: Console
) -> StreamEvaluation:
    """Simulate fresh storms, play them through broker and worker, and score the output.

    Args:
        settings: broker, security and data directory (topics are the run's own).
        model_path: the model package the worker serves and the offline score uses.
        options: seed, length, storms, basins, pacing.
        console: where progress is told.

    Returns:
        The scores of the stream, the offline model and persistence on the same rows.

    Raises:
        EvaluationConfigError: an unknown basin, a training seed, or a run ending in the future.
        EmulatorConfigError: a fault specification the emulator cannot read.
        PackageMismatchError: the package does not serve a basin or has no climatology.
        IncompletePlaybackError: the worker stopped or fell behind.
        MissingObservationsError: the observations do not cover the run.
    """
    package = load_package(model_path)
    _check_seed(package, options.seed)
    unknown = [b for b in options.basins if b not in list_basins()]
    if unknown:
        raise EvaluationConfigError(f"unknown basins {unknown}; known: {list_basins()}")
    _climatology(package)
    config = _emulator_config(options)
    simulations = build_simulations(config)
    console.print(
        f"simulated {len(simulations)} basins × {options.days:g} days (seed {options.seed}, "
        f"{options.storms} storms)"
    )
    playback = play_through_stream(
        settings,
        config,
        simulations,
        model_path=model_path,
        console=console,
        keep_topics=options.keep_topics,
        chunk_steps=max(round(options.chunk_hours * 60 / config.step_minutes), 1),
    )
    # the offline forecast sees what the stream could use: the river levels sent on time and
    # every forecast (the planner draws the same messages again from the seed)
    planner = MessagePlanner(simulations, config)
    stage, forecasts = planner.sent_stage(on_time=True), planner.sent_forecasts()
    verification, grids, held, match = _verify(package, simulations, playback, stage, forecasts)
    scores = {
        name: skill_scores(verification.sums(g), options.replicates, options.seed)
        for name, g in grids.items()
    }
    outcomes = []
    for sim, basin_held, offline in zip(simulations, held, grids[OFFLINE], strict=True):
        usable = max(sim.n_steps - verification.horizon_steps, 0)
        differ = basin_held.grid.warn[:usable] != offline.warn[:usable]
        outcomes.append(
            BasinOutcome(
                basin_id=sim.basin.basin_id,
                matching=basin_held.matching,
                disagreeing_rows=int(np.count_nonzero(differ)),
                rows=int(differ.size),
            )
        )
    return StreamEvaluation(
        options=options,
        model_path=model_path,
        model_sha256=package.manifest.model_sha256,
        threshold=package.manifest.operating_threshold,
        horizon_hours=package.manifest.horizon_hours,
        rows=verification.rows,
        events=verification.events,
        scores=scores,
        basins=tuple(outcomes),
        observations_match_simulation=match,
        playback=playback,
    )

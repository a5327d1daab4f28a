"""Train the flood classifier and ETA regressor on simulated storms; evaluate on held-out ones.

Evaluation follows the stream: every (reach, 15-minute step) of the held-out storm events is
scored, nothing thinned. Only training rows are thinned (dry rows sampled, weighted back), the
operating threshold is chosen on every row of the validation events, and the whole fit is
repeated on ``split_seeds`` independent event splits whose scores are pooled (issue 11).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field
from sklearn.base import ClassifierMixin, RegressorMixin

from converters.features import BasinGeometry, batch_features
from converters.features.rain_forecast import without_forecast
from converters.features.river_stage import without_stage
from converters.features.spec import STEPS_PER_HOUR
from converters.skill import (
    EventSums,
    Interval,
    VerificationSet,
    bootstrap_scores,
    event_sums,
    point_scores,
    pooled_intervals,
)
from converters.verification import best_csi_threshold, score_forecasts
from floodcast.catchment import Simulation, get_basin, list_basins, simulate
from floodcast.catchment.rain_forecasts import rain_forecasts
from floodcast.catchment.river_levels import stage_readings
from floodcast.training.baselines import FittedBaselines
from floodcast.training.estimators import CLASSIFIER_FAMILIES, eta_regressor, hist_gradient_boosting
from floodcast.training.rows import EVENT_STRIDE, TrainingRows, simulation_rows


class TrainingConfig(BaseModel):
    """A reproducible training run: the same config and seed give the same package."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "floodcast-flood-path"
    version: str = "1.0.0"
    basins: tuple[str, ...] = Field(default_factory=lambda: tuple(list_basins()))
    seed: int = 20261125
    days: float = Field(default=730.0, gt=1)
    """Simulated days per basin."""
    horizon_hours: int = Field(default=6, ge=1, le=24)
    dry_keep_fraction: float = Field(default=0.03, ge=0, le=1)
    test_fraction: float = Field(default=0.25, gt=0, lt=1)
    """Share of storm events held out for the final evaluation."""
    validation_fraction: float = Field(default=0.2, gt=0, lt=1)
    """Share of the remaining events used to pick the family and the threshold."""
    max_train_rows: int = Field(default=800_000, ge=1_000)
    """Classifier training rows are sampled down to this many, which bounds training time."""
    stage_blind_fraction: float = Field(default=0.3, ge=0, le=1)
    """Share of training storm events shown to the model without any river-level reading, so
    that a basin whose stage sensors are silent still gets a sound forecast."""
    forecast_blind_fraction: float = Field(default=0.2, ge=0, le=1)
    """Share of training storm events shown to the model without any rain forecast (drawn
    apart from the stage-blind ones), so that a basin whose forecasts stop still gets a sound
    forecast; forecast outages inside storms come from the simulated forecasts themselves."""
    split_seeds: int = Field(default=3, ge=1, le=20)
    """Independent event splits the model is trained and scored on; the package ships the
    first split's model, and every reported score pools all of them."""
    upper_bound: bool = True
    """Also fit and report the perfect-future-rain upper bound (on the first split)."""
    bootstrap_replicates: int = Field(default=1000, ge=10)
    """Event-bootstrap resamples per split for the 95 % intervals."""
    min_lead_hours: float = Field(default=1.0, ge=0)
    """A flood episode counts as warned when a warning came at least this long before onset."""


ProgressCallback = Callable[[str], None]
"""Told the name of each stage as it starts."""

STAGE_SENSOR_STREAM = 7
"""Seeds the stage sensors' errors apart from the simulation's own random streams."""
RAIN_FORECAST_STREAM = 8
"""Seeds the rain forecasts' errors apart from every other random stream."""
THRESHOLD_CANDIDATES = np.round(np.linspace(0.05, 0.95, 91), 2)
MODEL = "model"
WITHOUT_STAGE = "model_without_stage"
"""The shipped model when no stage sensor reports (a degraded mode)."""
WITHOUT_FORECAST = "model_without_forecast"
"""The shipped model when no rain forecast arrives (a degraded mode)."""
WITHOUT_EITHER = "model_without_stage_or_forecast"
"""The shipped model on rain gauges alone: no stage reading and no rain forecast."""
DEGRADED_MODES: dict[str, Callable[[NDArray[np.float32]], NDArray[np.float32]]] = {
    WITHOUT_STAGE: without_stage,
    WITHOUT_FORECAST: without_forecast,
    WITHOUT_EITHER: lambda features: without_forecast(without_stage(features)),
}
"""How each degraded mode's features are made from the full ones."""
UPPER_BOUND = "perfect_rain_upper_bound"
"""The model's features plus the rain that really falls over the next 6 h: what a perfect
rain forecast would add. Reported to bound the achievable skill, never shipped; fitted on the
first split only, to keep training short."""


@dataclass(eq=False)
class TrainingOutcome:
    """A trained model pair, its operating threshold, and how it scored."""

    config: TrainingConfig
    family: str
    classifier: ClassifierMixin
    regressor: RegressorMixin
    threshold: float
    metrics: dict[str, float]
    comparison: dict[str, dict[str, float]]
    simulations: list[Simulation]
    test: TrainingRows
    test_probability: NDArray[np.float64]
    skill: dict[str, dict[str, Interval]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def split_by_event(
    rows: TrainingRows, fraction: float, rng: np.random.Generator
) -> tuple[TrainingRows, TrainingRows]:
    """Hold out ``fraction`` of the storm events; no event is split across the two parts."""
    events = rng.permutation(np.unique(rows.event))
    held_out = events[: max(1, round(len(events) * fraction))]
    mask = np.isin(rows.event, held_out)
    return rows.take(~mask), rows.take(mask)


def split_events(
    events: NDArray[np.int64], config: TrainingConfig, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Training, validation and test events: test first, then validation from the rest."""
    shuffled = rng.permutation(np.unique(events))
    n_test = max(1, round(len(shuffled) * config.test_fraction))
    rest = shuffled[n_test:]
    n_validation = max(1, round(len(rest) * config.validation_fraction))
    return rest[n_validation:], rest[:n_validation], shuffled[:n_test]


def _simulate_all(config: TrainingConfig) -> list[Simulation]:
    return [
        simulate(get_basin(basin_id), days=config.days, seed=config.seed + i)
        for i, basin_id in enumerate(config.basins)
    ]


@dataclass(frozen=True, eq=False)
class _Split:
    """One event split's rows."""

    train: TrainingRows
    validation: TrainingRows
    test: TrainingRows


def _split_rows(
    config: TrainingConfig,
    simulations: list[Simulation],
    features: list[NDArray[np.float64]],
    split_seed: int,
) -> _Split:
    rng = np.random.default_rng(split_seed)
    events = np.concatenate(
        [i * EVENT_STRIDE + np.unique(sim.event_id) for i, sim in enumerate(simulations)]
    )
    train_events, validation_events, _ = split_events(events, config, rng)
    rows = TrainingRows.concatenate(
        [
            simulation_rows(
                sim,
                basin_index=i,
                horizon_hours=config.horizon_hours,
                training_events=train_events,
                dry_keep_fraction=config.dry_keep_fraction,
                rng=rng,
                features=features[i],
            )
            for i, sim in enumerate(simulations)
        ]
    )
    is_train = np.isin(rows.event, train_events)
    is_validation = np.isin(rows.event, validation_events)
    train = rows.take(is_train)
    blind_events = train_events[rng.random(len(train_events)) < config.stage_blind_fraction]
    blind = np.isin(train.event, blind_events)
    train.features[blind] = without_stage(train.features[blind])
    unforecast = train_events[rng.random(len(train_events)) < config.forecast_blind_fraction]
    unforecast_rows = np.isin(train.event, unforecast)
    train.features[unforecast_rows] = without_forecast(train.features[unforecast_rows])
    if len(train) > config.max_train_rows:
        # uniform subsampling keeps the weights unbiased
        train = train.take(np.sort(rng.choice(len(train), config.max_train_rows, replace=False)))
    return _Split(train, rows.take(is_validation), rows.take(~is_train & ~is_validation))


def _fit_classifier(
    factory: Callable[[int], ClassifierMixin], seed: int, x: NDArray[np.float32], rows: TrainingRows
) -> ClassifierMixin:
    return factory(seed).fit(x, rows.floods, sample_weight=rows.weight)


def _compare_families(
    config: TrainingConfig, split: _Split
) -> tuple[str, dict[str, ClassifierMixin], dict[str, dict[str, float]]]:
    """Fit every family; the best CSI on every validation row (at its best threshold) wins."""
    fitted: dict[str, ClassifierMixin] = {}
    comparison: dict[str, dict[str, float]] = {}
    for family, factory in CLASSIFIER_FAMILIES.items():
        started = time.perf_counter()
        model = _fit_classifier(factory, config.seed, split.train.features, split.train)
        fit_seconds = time.perf_counter() - started
        probability = model.predict_proba(split.validation.features)[:, 1]
        threshold, csi = best_csi_threshold(
            split.validation.floods, probability, THRESHOLD_CANDIDATES
        )
        fitted[family] = model
        comparison[family] = {
            "validation_csi": csi,
            "validation_threshold": threshold,
            "fit_seconds": fit_seconds,
        }
    best = max(comparison, key=lambda f: comparison[f]["validation_csi"])
    return best, fitted, comparison


def _with_future(rows: TrainingRows) -> NDArray[np.float32]:
    return np.hstack([rows.features, rows.future_rain])


def _verification_set(config: TrainingConfig, split: _Split) -> VerificationSet:
    train, test = split.train, split.test
    onsets = train.floods & ~train.flooded_now
    return VerificationSet(
        event=test.event,
        series=test.basin * EVENT_STRIDE + test.reach,
        step=test.step,
        floods=test.floods,
        flooded_now=test.flooded_now,
        eta_hours=test.eta_hours,
        climatology=float(np.average(train.floods, weights=train.weight)),
        climatology_eta_hours=float(np.median(train.eta_hours[onsets])),
        horizon_steps=config.horizon_hours * STEPS_PER_HOUR,
        min_lead_steps=round(config.min_lead_hours * STEPS_PER_HOUR),
        steps_per_hour=STEPS_PER_HOUR,
    )


@dataclass(eq=False)
class _SplitResult:
    """One split's fitted models and per-event sums of every forecast."""

    classifier: ClassifierMixin
    regressor: RegressorMixin
    threshold: float
    sums: dict[str, EventSums]
    extras: dict[str, float]
    test: TrainingRows
    test_probability: NDArray[np.float64]


def _score_split(
    config: TrainingConfig,
    split: _Split,
    classifier: ClassifierMixin,
    threshold: float,
    *,
    with_upper_bound: bool,
) -> _SplitResult:
    """Fit the ETA regressor and the baselines (and the upper bound when asked); sum every
    forecast per event."""
    seed = config.seed
    flooding = split.train.take(split.train.floods)
    regressor = eta_regressor(seed).fit(flooding.features, flooding.eta_hours)
    baselines = FittedBaselines.fit(split.validation)
    data = _verification_set(config, split)
    test = split.test
    probability = classifier.predict_proba(test.features)[:, 1]
    sums = {
        MODEL: event_sums(
            data, probability >= threshold, probability, _eta(regressor, test, test.features)
        )
    }
    for mode, degrade in DEGRADED_MODES.items():
        degraded = degrade(test.features)
        degraded_probability = classifier.predict_proba(degraded)[:, 1]
        sums[mode] = event_sums(
            data,
            degraded_probability >= threshold,
            degraded_probability,
            _eta(regressor, test, degraded),
        )
    for name, warn in baselines.warnings(test).items():
        sums[name] = event_sums(data, warn, warn.astype(np.float64))
    scored = score_forecasts(test.floods, probability, threshold)
    extras = {
        "roc_auc": scored.roc_auc,
        "rows_train": float(len(split.train)),
        "rows_validation": float(len(split.validation)),
        "rows_test": float(len(test)),
        "events_test": float(len(np.unique(test.event))),
        "test_flood_rate": float(np.mean(test.floods)),
        "test_flooded_now_share_of_positives": float(np.mean(test.flooded_now[test.floods])),
        "rainfall_rule_threshold_mm": baselines.rainfall_threshold_mm,
        "rain_over_bankfull_threshold": baselines.rain_over_bankfull_threshold,
        "climatology_flood_rate": data.climatology,
        "climatology_eta_hours": data.climatology_eta_hours,
    }
    if with_upper_bound:
        sums[UPPER_BOUND], extras[f"{UPPER_BOUND}_threshold"] = _upper_bound(config, split, data)
    return _SplitResult(classifier, regressor, threshold, sums, extras, test, probability)


def _eta(
    regressor: RegressorMixin, rows: TrainingRows, features: NDArray[np.float32]
) -> NDArray[np.float64]:
    """ETA predictions where the skill scores read them (rows that flood within the horizon
    but are not flooded yet); NaN elsewhere, which saves predicting every row."""
    eta = np.full(len(rows), np.nan)
    needed = rows.floods & ~rows.flooded_now
    eta[needed] = regressor.predict(features[needed])
    return eta


def _upper_bound(
    config: TrainingConfig, split: _Split, data: VerificationSet
) -> tuple[EventSums, float]:
    """Fit the model's family on its features plus the rain that really falls next; score it."""
    upper = _fit_classifier(
        hist_gradient_boosting, config.seed, _with_future(split.train), split.train
    )
    threshold, _ = best_csi_threshold(
        split.validation.floods,
        upper.predict_proba(_with_future(split.validation))[:, 1],
        THRESHOLD_CANDIDATES,
    )
    probability = upper.predict_proba(_with_future(split.test))[:, 1]
    return event_sums(data, probability >= threshold, probability), threshold


def _pool(
    results: list[_SplitResult], replicates: int, seed: int
) -> dict[str, dict[str, Interval]]:
    rng = np.random.default_rng(seed)
    pooled: dict[str, dict[str, Interval]] = {}
    for name in results[0].sums:
        having = [r.sums[name] for r in results if name in r.sums]
        points = [point_scores(sums) for sums in having]
        draws = [bootstrap_scores(sums, replicates, rng) for sums in having]
        pooled[name] = pooled_intervals(points, draws)
    return pooled


def flat_metrics(skill: dict[str, dict[str, Interval]]) -> dict[str, float]:
    """The manifest's flat metrics: the model's scores bare (``csi``, ``csi_ci_low``, ...),
    every other forecast's prefixed with its name (``persistence_csi``, ...). A score a
    forecast does not have (a rule's ETA error) is left out."""
    metrics: dict[str, float] = {}
    for forecast, scores in skill.items():
        prefix = "" if forecast == MODEL else f"{forecast}_"
        for name, interval in scores.items():
            for suffix, value in (
                ("", interval.value),
                ("_ci_low", interval.low),
                ("_ci_high", interval.high),
            ):
                if np.isfinite(value):
                    metrics[f"{prefix}{name}{suffix}"] = value
    return metrics


def _metrics(
    skill: dict[str, dict[str, Interval]], results: list[_SplitResult], config: TrainingConfig
) -> dict[str, float]:
    metrics = flat_metrics(skill)
    first = results[0].extras
    metrics.update(first)
    metrics["roc_auc"] = float(np.mean([r.extras["roc_auc"] for r in results]))
    metrics["baseline_csi"] = metrics["rainfall_rule_csi"]
    metrics["baseline_threshold_mm"] = first["rainfall_rule_threshold_mm"]
    metrics["csi_gain_over_baseline"] = metrics["csi"] - metrics["baseline_csi"]
    metrics["csi_gain_over_persistence"] = metrics["csi"] - metrics["persistence_csi"]
    metrics["eta_mae_hours"] = metrics["eta_mae_onset_hours"]
    metrics["split_seeds"] = float(len(results))
    metrics["bootstrap_replicates"] = float(config.bootstrap_replicates)
    return metrics


def _features(config: TrainingConfig, simulations: list[Simulation]) -> list[NDArray[np.float64]]:
    """Every record's features, from its gauges, the readings of its stage sensors and the
    degraded rain forecasts issued over it (never the rain that really falls next)."""
    records = []
    for i, sim in enumerate(simulations):
        geometry = BasinGeometry.from_basin(sim.basin)
        rng = np.random.default_rng([config.seed, STAGE_SENSOR_STREAM, i])
        stage = stage_readings(sim.discharge_m3s, geometry.stage.sensor_reaches, rng)
        forecasts = rain_forecasts(
            sim, np.random.default_rng([config.seed, RAIN_FORECAST_STREAM, i])
        )
        records.append(batch_features(geometry, sim.gauge_rain_mm, stage, forecasts))
    return records


def train_flood_model(
    config: TrainingConfig, progress: ProgressCallback = lambda stage: None
) -> TrainingOutcome:
    """Simulate, label, split by storm event, compare families, fit the ETA model, evaluate.

    The family and the operating threshold are chosen on validation events of the first split;
    every reported score comes from test events that neither choice saw, pooled over
    ``config.split_seeds`` splits (each with its own fit of the chosen family).
    """
    timings: dict[str, float] = {}
    clock, current = time.perf_counter(), ""

    def stage(name: str) -> None:
        """Close the timing of the running stage and announce the next one."""
        nonlocal clock, current
        now = time.perf_counter()
        if current:
            timings[current] = now - clock
        clock, current = now, name
        progress(name)

    stage("simulate")
    simulations = _simulate_all(config)
    stage("features")
    features = _features(config, simulations)
    split = _split_rows(config, simulations, features, config.seed + 1)
    stage("classifiers")
    family, fitted, comparison = _compare_families(config, split)
    threshold = comparison[family]["validation_threshold"]
    stage("eta regressor")
    results = [
        _score_split(config, split, fitted[family], threshold, with_upper_bound=config.upper_bound)
    ]
    stage("evaluate")
    del split
    for k in range(1, config.split_seeds):
        other = _split_rows(config, simulations, features, config.seed + 1 + k)
        classifier = _fit_classifier(
            CLASSIFIER_FAMILIES[family], config.seed, other.train.features, other.train
        )
        other_threshold, _ = best_csi_threshold(
            other.validation.floods,
            classifier.predict_proba(other.validation.features)[:, 1],
            THRESHOLD_CANDIDATES,
        )
        results.append(
            _score_split(config, other, classifier, other_threshold, with_upper_bound=False)
        )
    skill = _pool(results, config.bootstrap_replicates, config.seed)
    shipped = results[0]
    stage("done")
    return TrainingOutcome(
        config=config,
        family=family,
        classifier=shipped.classifier,
        regressor=shipped.regressor,
        threshold=shipped.threshold,
        metrics=_metrics(skill, results, config),
        comparison=comparison,
        simulations=simulations,
        test=shipped.test,
        test_probability=shipped.test_probability,
        skill=skill,
        timings=timings,
    )

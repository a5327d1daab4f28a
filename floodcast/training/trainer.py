"""Train the flood classifier and ETA regressor on simulated storms; evaluate on held-out ones."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field
from sklearn.base import ClassifierMixin, RegressorMixin

from converters.verification import (
    best_csi_threshold,
    critical_success_index,
    eta_mean_absolute_error,
    score_forecasts,
)
from floodcast.catchment import Simulation, get_basin, list_basins, simulate
from floodcast.training.estimators import CLASSIFIER_FAMILIES, RainfallThresholdRule, eta_regressor
from floodcast.training.rows import TrainingRows, simulation_rows


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
    max_train_rows: int = Field(default=300_000, ge=1_000)
    """Classifier training rows are sampled down to this many, which bounds training time."""


ProgressCallback = Callable[[str], None]
"""Told the name of each stage as it starts."""

THRESHOLD_CANDIDATES = np.round(np.linspace(0.05, 0.95, 91), 2)


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
    timings: dict[str, float] = field(default_factory=dict)


def split_by_event(
    rows: TrainingRows, fraction: float, rng: np.random.Generator
) -> tuple[TrainingRows, TrainingRows]:
    """Hold out ``fraction`` of the storm events; no event is split across the two parts."""
    events = rng.permutation(np.unique(rows.event))
    held_out = events[: max(1, round(len(events) * fraction))]
    mask = np.isin(rows.event, held_out)
    return rows.take(~mask), rows.take(mask)


def _simulate_all(config: TrainingConfig) -> list[Simulation]:
    return [
        simulate(get_basin(basin_id), days=config.days, seed=config.seed + i)
        for i, basin_id in enumerate(config.basins)
    ]


def _rows(config: TrainingConfig, simulations: list[Simulation]) -> TrainingRows:
    rng = np.random.default_rng(config.seed)
    return TrainingRows.concatenate(
        [
            simulation_rows(
                sim,
                basin_index=i,
                horizon_hours=config.horizon_hours,
                dry_keep_fraction=config.dry_keep_fraction,
                rng=rng,
            )
            for i, sim in enumerate(simulations)
        ]
    )


def _compare_families(
    config: TrainingConfig, train: TrainingRows, validation: TrainingRows
) -> tuple[str, dict[str, ClassifierMixin], dict[str, dict[str, float]]]:
    fitted: dict[str, ClassifierMixin] = {}
    comparison: dict[str, dict[str, float]] = {}
    for family, factory in CLASSIFIER_FAMILIES.items():
        started = time.perf_counter()
        model = factory(config.seed).fit(train.features, train.floods)
        fit_seconds = time.perf_counter() - started
        probability = model.predict_proba(validation.features)[:, 1]
        threshold, csi = best_csi_threshold(validation.floods, probability, THRESHOLD_CANDIDATES)
        fitted[family] = model
        comparison[family] = {
            "validation_csi": csi,
            "validation_threshold": threshold,
            "fit_seconds": fit_seconds,
        }
    best = max(comparison, key=lambda f: comparison[f]["validation_csi"])
    return best, fitted, comparison


def _evaluate(
    fitted: dict[str, ClassifierMixin],
    family: str,
    threshold: float,
    regressor: RegressorMixin,
    comparison: dict[str, dict[str, float]],
    train: TrainingRows,
    test: TrainingRows,
) -> tuple[NDArray[np.float64], dict[str, float]]:
    """Score every family and the baseline on the test events; add test scores to
    ``comparison``. Returns the chosen family's test probabilities and its metrics."""
    probabilities = {
        name: model.predict_proba(test.features)[:, 1] for name, model in fitted.items()
    }
    for name, probability in probabilities.items():
        scored = score_forecasts(test.floods, probability, comparison[name]["validation_threshold"])
        comparison[name].update(
            test_csi=scored.csi, test_brier=scored.brier, test_roc_auc=scored.roc_auc
        )
    scores = score_forecasts(test.floods, probabilities[family], threshold)
    hits = test.floods & (probabilities[family] >= threshold)
    baseline = RainfallThresholdRule().fit(train.basin_rain_6h_mm, train.floods)
    baseline_csi = critical_success_index(test.floods, baseline.predict(test.basin_rain_6h_mm))
    metrics = {
        **{k: v for k, v in scores.as_dict().items() if k != "threshold"},
        "eta_mae_hours": eta_mean_absolute_error(
            test.eta_hours[hits], regressor.predict(test.features[hits])
        ),
        "baseline_csi": baseline_csi,
        "baseline_threshold_mm": float(baseline.threshold_mm or 0.0),
        "csi_gain_over_baseline": scores.csi - baseline_csi,
        "rows_train": float(len(train)),
        "rows_test": float(len(test)),
        "events_test": float(len(np.unique(test.event))),
        "test_flood_rate": float(np.mean(test.floods)),
    }
    return probabilities[family], metrics


def train_flood_model(
    config: TrainingConfig, progress: ProgressCallback = lambda stage: None
) -> TrainingOutcome:
    """Simulate, label, split by storm event, compare families, fit the ETA model, evaluate.

    The family and the operating threshold are chosen on validation events; every reported
    score comes from test events that neither choice saw.
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
    rows = _rows(config, simulations)
    rng = np.random.default_rng(config.seed + 1)
    development, test = split_by_event(rows, config.test_fraction, rng)
    train, validation = split_by_event(development, config.validation_fraction, rng)
    if len(train) > config.max_train_rows:
        sampled = np.zeros(len(train), dtype=bool)
        sampled[rng.choice(len(train), config.max_train_rows, replace=False)] = True
        train = train.take(sampled)
    stage("classifiers")
    family, fitted, comparison = _compare_families(config, train, validation)
    classifier = fitted[family]
    threshold = comparison[family]["validation_threshold"]
    stage("eta regressor")
    flooding = train.take(train.floods)
    regressor = eta_regressor(config.seed).fit(flooding.features, flooding.eta_hours)
    stage("evaluate")
    test_probability, metrics = _evaluate(
        fitted, family, threshold, regressor, comparison, train, test
    )
    metrics["rows_validation"] = float(len(validation))
    stage("done")
    return TrainingOutcome(
        config=config,
        family=family,
        classifier=classifier,
        regressor=regressor,
        threshold=threshold,
        metrics=metrics,
        comparison=comparison,
        simulations=simulations,
        test=test,
        test_probability=test_probability,
        timings=timings,
    )

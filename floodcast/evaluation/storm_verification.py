"""Every (reach, step) of the evaluated storms, verified with the training's definitions.

The rows, labels, onset rows, ETA, episodes and bootstrap are those of the trainer
(``floodcast.training.rows`` and ``converters.skill``): a row is a reach at a step, its label
is "flooded within the horizon" (now included), the last horizon of each run is left out
because its label would look past the run's end, and storm events are the bootstrap's unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.features.spec import STEP_MINUTES, STEPS_PER_HOUR
from converters.skill import (
    EventSums,
    Interval,
    VerificationSet,
    bootstrap_scores,
    event_sums,
    point_scores,
    pooled_intervals,
)
from floodcast.evaluation.forecast_grid import ForecastGrid
from floodcast.training.rows import EVENT_STRIDE, steps_until_flood

__all__ = ["BasinRun", "Climatology", "StormVerification", "skill_scores"]

MIN_EVENTS_FOR_INTERVALS = 5
"""Fewer storm events than this give no interval: a bootstrap of 2 events says nothing."""


@dataclass(frozen=True, eq=False)
class BasinRun:
    """What one basin's run holds for verification.

    Attributes:
        flooded: (steps, reaches) reaches over bankfull (the observations).
        event_id: (steps,) the simulator's storm event of each step.
    """

    flooded: NDArray[np.bool_]
    event_id: NDArray[np.int64]


@dataclass(frozen=True)
class Climatology:
    """The training references: the flood rate (Brier skill) and median onset ETA."""

    flood_rate: float
    eta_hours: float


class StormVerification:
    """The rows of several basins' runs and what each forecast is verified against.

    Args:
        runs: one per basin, in the order forecasts are given.
        horizon_hours: the forecast horizon.
        min_lead_hours: a flood episode counts as warned at least this long before onset.
        climatology: the training references.
    """

    def __init__(
        self,
        runs: Sequence[BasinRun],
        *,
        horizon_hours: int,
        min_lead_hours: float,
        climatology: Climatology,
    ) -> None:
        self.horizon_steps = horizon_hours * STEPS_PER_HOUR
        self.usable = [max(len(run.flooded) - self.horizon_steps, 0) for run in runs]
        parts: dict[str, list[NDArray[np.generic]]] = {
            k: [] for k in ("event", "series", "step", "floods", "flooded_now", "eta")
        }
        for b, (run, usable) in enumerate(zip(runs, self.usable, strict=True)):
            until = steps_until_flood(run.flooded)[:usable]
            steps, reaches = until.shape
            floods = until <= self.horizon_steps
            parts["event"].append(np.repeat(b * EVENT_STRIDE + run.event_id[:usable], reaches))
            parts["series"].append(np.tile(b * EVENT_STRIDE + np.arange(reaches), steps))
            parts["step"].append(np.repeat(np.arange(steps), reaches))
            parts["floods"].append(floods.ravel())
            parts["flooded_now"].append(run.flooded[:usable].ravel())
            parts["eta"].append(np.where(floods, until * STEP_MINUTES / 60.0, np.nan).ravel())
        joined = {k: np.concatenate(v) for k, v in parts.items()}
        self.data = VerificationSet(
            event=joined["event"].astype(np.int64),
            series=joined["series"].astype(np.int64),
            step=joined["step"].astype(np.int64),
            floods=joined["floods"].astype(bool),
            flooded_now=joined["flooded_now"].astype(bool),
            eta_hours=joined["eta"].astype(np.float32),
            climatology=climatology.flood_rate,
            climatology_eta_hours=climatology.eta_hours,
            horizon_steps=self.horizon_steps,
            min_lead_steps=round(min_lead_hours * STEPS_PER_HOUR),
            steps_per_hour=STEPS_PER_HOUR,
        )

    @property
    def rows(self) -> int:
        """Verified (reach, step) rows."""
        return len(self.data.floods)

    @property
    def events(self) -> int:
        """Distinct storm events among the rows."""
        return len(np.unique(self.data.event))

    def rows_of(self, grids: Sequence[ForecastGrid]) -> ForecastGrid:
        """One forecast's grids (one per basin) as flat rows, in the verification's order."""

        def flat(values: Sequence[NDArray[np.generic]]) -> NDArray[np.generic]:
            return np.concatenate([v[:n].ravel() for v, n in zip(values, self.usable, strict=True)])

        has_eta = all(g.eta_hours is not None for g in grids)
        return ForecastGrid(
            warn=flat([g.warn for g in grids]).astype(bool),
            probability=flat([g.probability for g in grids]).astype(np.float64),
            eta_hours=flat([g.eta_hours for g in grids]) if has_eta else None,  # type: ignore[misc]
        )

    def sums(self, grids: Sequence[ForecastGrid]) -> EventSums:
        """Per-event sums of one forecast (one grid per basin)."""
        rows = self.rows_of(grids)
        return event_sums(self.data, rows.warn, rows.probability, rows.eta_hours)


def skill_scores(sums: EventSums, replicates: int, seed: int) -> dict[str, Interval]:
    """Every score of ``converters.skill``, with its event-bootstrap 95 % interval.

    With fewer than ``MIN_EVENTS_FOR_INTERVALS`` storm events the intervals are NaN.
    """
    point = point_scores(sums)
    if sums.sums.shape[0] < MIN_EVENTS_FOR_INTERVALS:
        nan = float("nan")
        return {name: Interval(value, nan, nan, (value,)) for name, value in point.items()}
    draws = bootstrap_scores(sums, replicates, np.random.default_rng(seed))
    return pooled_intervals([point], [draws])

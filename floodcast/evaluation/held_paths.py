"""What a consumer of the predictions topic holds at every step: the last published path.

The worker publishes a basin's flood path when it changes and at least every publication
cadence, not at every step. A downstream warning system acts on the latest path it received,
so each step is verified against the newest prediction whose watermark is at or before it. A
reach on that path is warned with the path's probability, and its ETA counts down from the
watermark (``eta_minutes`` minus the time since); a reach off the path is not warned and has
probability 0 (the path lists only reaches at or over the threshold). Steps before the basin's
first prediction hold nothing: no warning, probability 0 (issue 11).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from floodcast.evaluation.forecast_grid import ForecastGrid
from floodcast.evaluation.run_steps import RunSteps
from schemas import FloodPathPrediction

__all__ = ["HeldPaths", "PathMatching", "hold_paths"]


@dataclass(frozen=True)
class PathMatching:
    """How a basin's published predictions fell on the run's steps.

    Attributes:
        published: predictions read for the basin (repeats included).
        matched: distinct predictions whose watermark ends a step of the run.
        repeats: predictions published again with the same ``prediction_id`` (a replay).
        unmatched: predictions whose watermark is not a step end of the run, or that name a
            reach the basin does not have.
        steps_without_prediction: steps before the basin's first prediction (no warning held).
    """

    published: int
    matched: int
    repeats: int
    unmatched: int
    steps_without_prediction: int


@dataclass(frozen=True, eq=False)
class HeldPaths:
    """A basin's held forecast at every step and how its predictions were matched."""

    grid: ForecastGrid
    matching: PathMatching


def hold_paths(
    predictions: Iterable[FloodPathPrediction],
    reach_ids: Sequence[str],
    steps: RunSteps,
) -> HeldPaths:
    """Carry each basin's latest published path forward to every step of the run.

    Step ``t`` covers ``start + t * step`` to ``start + (t + 1) * step``; a prediction with that
    end as its watermark was made from the readings of steps ``0..t`` and is held from step
    ``t`` on, until the next one. Of several distinct predictions for one step, the one issued
    last is held.

    Args:
        predictions: the basin's predictions, in any order.
        reach_ids: the basin's reaches, in the order of the grid's columns.
        steps: the run's steps.

    Returns:
        The held forecast and the matching counts.
    """
    column = {reach_id: i for i, reach_id in enumerate(reach_ids)}
    seen: set[str] = set()
    kept: list[tuple[int, datetime, FloodPathPrediction]] = []
    published = repeats = unmatched = 0
    for prediction in predictions:
        published += 1
        if prediction.prediction_id in seen:
            repeats += 1
            continue
        seen.add(prediction.prediction_id)
        step = steps.step_ending_at(prediction.watermark)
        if step is None or any(r.reach_id not in column for r in prediction.reaches):
            unmatched += 1
            continue
        kept.append((step, prediction.issued_at, prediction))
    kept.sort(key=lambda item: (item[0], item[1]))
    n_steps, n_reaches = steps.n_steps, len(reach_ids)
    warn = np.zeros((n_steps, n_reaches), dtype=bool)
    probability = np.zeros((n_steps, n_reaches))
    eta_hours = np.full((n_steps, n_reaches), np.nan)
    for k, (step, _, prediction) in enumerate(kept):
        until = kept[k + 1][0] if k + 1 < len(kept) else n_steps
        if until == step:  # a later prediction for the same step replaces this one
            continue
        held = np.arange(step, until)
        elapsed_minutes = (held - step) * steps.step_minutes
        for reach in prediction.reaches:
            i = column[reach.reach_id]
            warn[held, i] = True
            probability[held, i] = reach.probability
            eta_hours[held, i] = np.maximum(reach.eta_minutes - elapsed_minutes, 0.0) / 60.0
    first = kept[0][0] if kept else n_steps
    return HeldPaths(
        grid=ForecastGrid(warn=warn, probability=probability, eta_hours=eta_hours),
        matching=PathMatching(
            published=published,
            matched=len(kept),
            repeats=repeats,
            unmatched=unmatched,
            steps_without_prediction=first,
        ),
    )

"""Rows, events and truth of the stream evaluation, as the trainer defines them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from floodcast.evaluation.exceptions import MissingObservationsError
from floodcast.evaluation.forecast_grid import ForecastGrid
from floodcast.evaluation.observed_truth import observed_flooding
from floodcast.evaluation.run_steps import RunSteps
from floodcast.evaluation.storm_verification import (
    BasinRun,
    Climatology,
    StormVerification,
    skill_scores,
)
from floodcast.training.rows import EVENT_STRIDE
from schemas import FloodObservation

START = datetime(2026, 1, 1, tzinfo=UTC)


def _storms(n_events: int, seed: int) -> tuple[BasinRun, np.ndarray]:
    """A 2-reach run of ``n_events`` storms of 40 steps, each flooding a random stretch."""
    rng = np.random.default_rng(seed)
    steps = 40 * n_events
    flooded = np.zeros((steps, 2), dtype=bool)
    for k in range(n_events):
        onset = 40 * k + rng.integers(8, 20)
        flooded[onset : onset + rng.integers(2, 10), rng.integers(0, 2)] = True
    warn = np.roll(flooded, -rng.integers(1, 6), axis=0) | (rng.random(flooded.shape) < 0.05)
    return BasinRun(flooded, np.repeat(np.arange(n_events), 40)), warn


def test_rows_leave_out_the_last_horizon_and_number_events_per_basin() -> None:
    """Each basin contributes (steps - horizon) x reaches rows; events of different basins
    stay apart, as in training."""
    first, _ = _storms(3, 1)
    second, _ = _storms(2, 2)
    verification = StormVerification(
        [first, second], horizon_hours=2, min_lead_hours=1.0, climatology=Climatology(0.05, 2.0)
    )
    assert verification.rows == (120 - 8) * 2 + (80 - 8) * 2
    assert verification.events == 5
    assert set(np.unique(verification.data.event)) == {0, 1, 2, EVENT_STRIDE, EVENT_STRIDE + 1}


def test_intervals_come_with_enough_events_and_bracket_the_score() -> None:
    """With 12 storm events the event bootstrap gives a 95 % interval around the point score."""
    run, warn = _storms(12, 3)
    verification = StormVerification(
        [run], horizon_hours=1, min_lead_hours=0.25, climatology=Climatology(0.05, 1.0)
    )
    grid = ForecastGrid(warn=warn, probability=warn * 0.9, eta_hours=None)
    csi = skill_scores(verification.sums([grid]), replicates=200, seed=0)["csi"]
    assert 0.0 < csi.low <= csi.value <= csi.high < 1.0


def _observation(step: int, flooded: tuple[str, ...]) -> FloodObservation:
    return FloodObservation(
        basin_id="toy",
        observed_at=START + timedelta(minutes=15 * (step + 1)),
        flooded_reach_ids=flooded,
    )


def test_observations_give_the_flooded_reaches_per_step() -> None:
    """An observation stamped with a step's end marks that step; repeats that agree are fine."""
    observations = [_observation(s, ("b",) if s == 2 else ()) for s in range(4)]
    flooded = observed_flooding(
        [*observations, observations[2]], ("a", "b"), RunSteps(START, 15, 4)
    )
    np.testing.assert_array_equal(flooded, [[0, 0], [0, 0], [0, 1], [0, 0]])


def test_a_step_without_observation_is_refused() -> None:
    """Truth must cover every step: a gap is an error, not a dry step."""
    observations = [_observation(s, ()) for s in (0, 1, 3)]
    with pytest.raises(MissingObservationsError, match="1 of 4"):
        observed_flooding(observations, ("a",), RunSteps(START, 15, 4))

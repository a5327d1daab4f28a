"""Carried-forward flood paths: what a consumer holds at each step, and how it scores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from floodcast.evaluation.forecast_grid import ForecastGrid
from floodcast.evaluation.held_paths import HeldPaths, hold_paths
from floodcast.evaluation.run_steps import RunSteps
from floodcast.evaluation.storm_verification import (
    BasinRun,
    Climatology,
    StormVerification,
    skill_scores,
)
from schemas import FloodPathPrediction, ModelRef, PathSummary, ReachForecast

START = datetime(2026, 1, 1, tzinfo=UTC)
REACHES = ("a", "b", "c")


def _prediction(
    step: int, path: dict[str, tuple[float, float]], *, sha: str = "0", late_s: int = 5
) -> FloodPathPrediction:
    """A prediction made from steps 0..step, warning ``path`` = {reach: (probability, eta)}."""
    watermark = START + timedelta(minutes=15 * (step + 1))
    reaches = tuple(
        ReachForecast(reach_id=r, probability=p, eta_minutes=eta, reaches_to_outlet=0)
        for r, (p, eta) in sorted(path.items(), key=lambda item: item[1][1])
    )
    return FloodPathPrediction(
        basin_id="toy",
        issued_at=watermark + timedelta(seconds=late_s),
        watermark=watermark,
        model=ModelRef(name="m", version="1", sha256=sha * 64),
        horizon_hours=1,
        threshold=0.5,
        reaches=reaches,
        summary=PathSummary.from_reaches(reaches),
        readings_used=step,
    )


def _hold(
    predictions: list[FloodPathPrediction], n_steps: int = 6, reaches: tuple[str, ...] = REACHES
) -> HeldPaths:
    return hold_paths(predictions, reaches, RunSteps(START, 15, n_steps))


def test_a_path_is_held_until_the_next_and_its_eta_counts_down() -> None:
    """A path published at step 1 is held at steps 1-2, the all-clear at step 3 ends it."""
    held = _hold([_prediction(3, {}), _prediction(1, {"a": (0.8, 60.0)})])
    expected = np.zeros((6, 3), dtype=bool)
    expected[1:3, 0] = True
    np.testing.assert_array_equal(held.grid.warn, expected)
    assert held.grid.probability[1, 0] == pytest.approx(0.8)
    assert held.grid.probability[3, 0] == 0.0
    assert held.grid.eta_hours is not None
    assert held.grid.eta_hours[1, 0] == pytest.approx(1.0)
    assert held.grid.eta_hours[2, 0] == pytest.approx(0.75)
    assert np.isnan(held.grid.eta_hours[2, 1])
    assert held.matching.steps_without_prediction == 1
    assert (held.matching.matched, held.matching.unmatched) == (2, 0)


def test_repeats_count_once_and_strangers_are_unmatched() -> None:
    """A replayed prediction counts as a repeat; off-step watermarks and unknown reaches are
    unmatched, and the steps before any prediction hold nothing."""
    first = _prediction(2, {"b": (0.6, 30.0)})
    off_step = first.model_copy(update={"watermark": first.watermark + timedelta(minutes=7)})
    beyond = _prediction(6, {})
    stranger = _prediction(4, {"z": (0.9, 0.0)})
    held = _hold([first, first.model_copy(update={"issued_at": START}), off_step, beyond, stranger])
    m = held.matching
    assert (m.published, m.matched, m.repeats, m.unmatched) == (5, 1, 1, 3)
    assert m.steps_without_prediction == 2
    assert held.grid.warn[:2].sum() == 0
    assert held.grid.warn[2:, 1].all()


def test_a_later_issue_for_the_same_step_replaces_the_earlier() -> None:
    """Two models' predictions for one step: the one issued last is held."""
    older = _prediction(1, {"a": (0.9, 0.0)}, sha="1", late_s=1)
    newer = _prediction(1, {"c": (0.7, 15.0)}, sha="2", late_s=9)
    held = _hold([newer, older])
    assert held.grid.warn[1:, 2].all()
    assert not held.grid.warn[:, 0].any()


@given(
    steps=st.lists(st.integers(0, 19), max_size=12),
    warned=st.lists(st.sets(st.sampled_from(REACHES)), min_size=12, max_size=12),
)
def test_each_step_holds_the_latest_prediction_at_or_before_it(
    steps: list[int], warned: list[set[str]]
) -> None:
    """Against a step-by-step lookup: step t is warned by the newest prediction at or before t."""
    predictions = {
        s: _prediction(s, {r: (0.9, 0.0) for r in w}) for s, w in zip(steps, warned, strict=False)
    }
    held = _hold(list(predictions.values()), n_steps=20)
    for t in range(20):
        before = [s for s in predictions if s <= t]
        expected = {r.reach_id for r in predictions[max(before)].reaches} if before else set()
        assert {REACHES[i] for i in np.flatnonzero(held.grid.warn[t])} == expected


def _one_reach_run() -> StormVerification:
    """8 steps, horizon 1 h (4 steps): the reach floods at step 5 only, so the 4 verified
    steps 0-3 are labelled [no, yes, yes, yes] and none is flooded at forecast time."""
    flooded = np.zeros((8, 1), dtype=bool)
    flooded[5, 0] = True
    run = BasinRun(flooded=flooded, event_id=np.zeros(8, dtype=np.int64))
    return StormVerification(
        [run], horizon_hours=1, min_lead_hours=0.5, climatology=Climatology(0.1, 2.0)
    )


@pytest.mark.parametrize(
    ("published_at", "hits", "misses", "false_alarms"),
    [
        ([2], 2, 1, 0),  # held from step 2: steps 2-3 hit, step 1 missed
        ([0], 3, 0, 1),  # held from step 0: step 0 is a false alarm
        ([], 0, 3, 0),  # nothing published: every flood is missed
    ],
)
def test_csi_of_held_paths_by_hand(
    published_at: list[int], hits: int, misses: int, false_alarms: int
) -> None:
    """CSI = hits / (hits + misses + false alarms) over the held path at every verified step;
    steps without a prediction count as no warning."""
    verification = _one_reach_run()
    held = hold_paths(
        [_prediction(s, {"a": (0.8, 30.0)}) for s in published_at],
        ("a",),
        RunSteps(START, 15, 8),
    )
    scores = skill_scores(verification.sums([held.grid]), replicates=10, seed=0)
    expected = hits / (hits + misses + false_alarms)
    assert scores["csi"].value == pytest.approx(expected)
    assert scores["onset_csi"].value == pytest.approx(expected)
    assert scores["pod"].value == pytest.approx(hits / (hits + misses))
    assert np.isnan(scores["csi"].low), "one storm event gives no interval"


def test_persistence_never_warns_before_a_flood() -> None:
    """Persistence warns only where the reach is flooded now: no verified step here is."""
    verification = _one_reach_run()
    flooded = np.zeros((8, 1), dtype=bool)
    flooded[5, 0] = True
    scores = skill_scores(verification.sums([ForecastGrid.from_rule(flooded)]), 10, 0)
    assert scores["csi"].value == 0.0
    assert verification.rows == 4

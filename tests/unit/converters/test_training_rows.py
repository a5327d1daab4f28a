"""Labels look ahead exactly one horizon, splits never cut through a storm event, and only
training rows are thinned (with weights that undo it)."""

from __future__ import annotations

import numpy as np

from floodcast.catchment import get_basin, simulate
from floodcast.training.rows import (
    FUTURE_RAIN_COLUMNS,
    TrainingRows,
    simulation_rows,
    steps_until_flood,
    upstream_ratio_max,
)
from floodcast.training.trainer import split_by_event


def test_steps_until_flood() -> None:
    """Each step counts the steps to the reach's next flooded step; zero while flooded."""
    flooded = np.array([[0], [0], [1], [1], [0], [0]], dtype=bool)
    until = steps_until_flood(flooded)[:, 0]
    np.testing.assert_array_equal(until, [2, 1, 0, 0, np.inf, np.inf])


def _rows(events: np.ndarray) -> TrainingRows:
    n = len(events)
    return TrainingRows(
        features=np.zeros((n, 3), dtype=np.float32),
        floods=np.zeros(n, dtype=bool),
        eta_hours=np.full(n, np.nan, dtype=np.float32),
        weight=np.ones(n, dtype=np.float32),
        flooded_now=np.zeros(n, dtype=bool),
        river_ratio_now=np.zeros(n, dtype=np.float32),
        basin_rain_6h_mm=np.zeros(n, dtype=np.float32),
        future_rain=np.zeros((n, len(FUTURE_RAIN_COLUMNS)), dtype=np.float32),
        event=events,
        basin=np.zeros(n, dtype=np.int64),
        step=np.arange(n),
        reach=np.zeros(n, dtype=np.int64),
    )


def test_split_keeps_events_whole() -> None:
    """Every event's rows land on one side of the split, and about the asked share is held out."""
    events = np.repeat(np.arange(20), 7)
    kept, held = split_by_event(_rows(events), 0.25, np.random.default_rng(0))
    assert set(kept.event).isdisjoint(held.event)
    assert len(set(held.event)) == 5
    assert len(kept) + len(held) == len(events)


def test_only_training_events_are_thinned_and_weights_restore_them() -> None:
    """Rows of held-out events are all kept with weight 1; a training event keeps its wet and
    flooding rows, and its sampled dry rows weigh 1/f so the weights add up to its row count."""
    sim = simulate(get_basin("upland"), days=120, seed=5)
    events = np.unique(sim.event_id)
    training = events[::2]
    rows = simulation_rows(
        sim,
        basin_index=0,
        horizon_hours=6,
        training_events=training,
        dry_keep_fraction=0.1,
        rng=np.random.default_rng(0),
    )
    usable_steps = sim.n_steps - 24
    reaches = sim.basin.n_reaches
    held_out = ~np.isin(rows.event, training)
    held_out_steps = np.count_nonzero(~np.isin(sim.event_id[:usable_steps], training))
    assert np.count_nonzero(held_out) == held_out_steps * reaches
    assert (rows.weight[held_out] == 1).all()
    in_training = np.count_nonzero(np.isin(sim.event_id[:usable_steps], training)) * reaches
    kept = np.count_nonzero(~held_out)
    assert kept < 0.8 * in_training
    assert abs(rows.weight[~held_out].sum() - in_training) < 0.05 * in_training
    assert (rows.weight[rows.floods] == 1).all()


def test_upstream_ratio_is_the_largest_over_the_upstream_reaches() -> None:
    """The outlet's ratio is the largest discharge/bankfull anywhere in the basin."""
    sim = simulate(get_basin("upland"), days=20, seed=1)
    ratio = upstream_ratio_max(sim)
    every = sim.discharge_m3s / sim.basin.bankfull_m3s
    np.testing.assert_array_equal(ratio[:, -1], every.max(axis=1))
    assert (ratio >= every).all()

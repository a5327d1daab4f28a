"""Labels look ahead exactly one horizon, and splits never cut through a storm event."""

from __future__ import annotations

import numpy as np

from floodcast.training.rows import TrainingRows, steps_until_flood
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
        basin_rain_6h_mm=np.zeros(n, dtype=np.float32),
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

"""Flood paths are ordered by ETA and run downstream through the network."""

from __future__ import annotations

import numpy as np
import pytest

from stream_app.scoring.flood_path import assemble_flood_path
from tests.helpers.networks import y_basin

BASIN = y_basin()
IDS = BASIN.reach_ids
DEPTH = BASIN.depth()


def test_path_keeps_reaches_over_threshold_in_eta_order() -> None:
    """Only reaches at or over the threshold appear, earliest ETA first."""
    path = assemble_flood_path(
        IDS, DEPTH, np.array([0.9, 0.2, 0.7, 0.5]), np.array([30.0, 10.0, 90.0, 180.0]), 0.5
    )
    assert path.reach_ids == ("A", "C", "D")
    assert path.first_reach == "A"
    assert path.last_reach == "D"
    assert path.time_to_first_flood_minutes == 30.0
    assert path.peak is not None and path.peak.reach_id == "A"


def test_equal_etas_run_from_upstream_to_downstream() -> None:
    """Reaches flooding at the same time are listed headwater first, outlet last."""
    path = assemble_flood_path(IDS, DEPTH, np.full(4, 0.8), np.zeros(4), 0.5)
    assert path.reach_ids == ("A", "B", "C", "D")
    assert [r.reaches_to_outlet for r in path.reaches] == [2, 2, 1, 0]


def test_downstream_order_on_a_propagating_flood() -> None:
    """A flood wave travelling down B -> C -> D gives the path B, C, D."""
    path = assemble_flood_path(
        IDS, DEPTH, np.array([0.1, 0.95, 0.85, 0.6]), np.array([0.0, 15.0, 75.0, 150.0]), 0.5
    )
    assert path.reach_ids == ("B", "C", "D")
    assert path.peak is not None and path.peak.probability == pytest.approx(0.95)


def test_all_clear_is_an_empty_path() -> None:
    """No reach over the threshold gives an empty path with no summary."""
    path = assemble_flood_path(IDS, DEPTH, np.full(4, 0.1), np.full(4, 60.0), 0.5)
    assert path.reaches == ()
    assert path.first_reach is None and path.peak is None
    assert path.time_to_first_flood_minutes is None


def test_negative_eta_clips_to_now() -> None:
    """A regressor's small negative ETA means 'flooding now', never a time in the past."""
    path = assemble_flood_path(IDS, DEPTH, np.array([0.9, 0, 0, 0]), np.array([-4.0, 0, 0, 0]), 0.5)
    assert path.reaches[0].eta_minutes == 0.0


def test_mismatched_lengths_are_refused() -> None:
    """Inputs of different lengths are a programming error, reported clearly."""
    with pytest.raises(ValueError, match="one entry per reach"):
        assemble_flood_path(IDS, DEPTH, np.ones(3), np.ones(4), 0.5)

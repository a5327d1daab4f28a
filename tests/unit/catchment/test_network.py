"""A basin's river network rejects malformed input and answers topology questions."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from converters.exceptions import InvalidNetworkError
from converters.river_network import OUTLET
from tests.helpers.networks import y_basin


def test_upstream_area_accumulates_down_the_tree() -> None:
    """Upstream area sums every subcatchment draining through a reach, including its own."""
    basin = y_basin()
    np.testing.assert_allclose(basin.upstream_area_km2, [20.0, 30.0, 65.0, 90.0])


def test_children_and_path_to_outlet_follow_downstream_links() -> None:
    """Children invert ``downstream`` and a path runs from a reach to the outlet reach."""
    basin = y_basin()
    assert basin.children() == ((), (), (0, 1), (2,))
    assert basin.path_to_outlet(1) == (1, 2, 3)
    assert basin.path_to_outlet(3) == (3,)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"downstream": np.array([2, 2, 1, OUTLET])}, "ordered upstream"),
        ({"downstream": np.array([2, 2, OUTLET, OUTLET])}, "exactly one outlet"),
        ({"downstream": np.array([2, 2, 3, 4])}, "ordered upstream"),
        ({"length_km": np.array([4.0, -5.0, 6.0, 8.0])}, "length_km"),
        ({"slope": np.array([0.02, 0.0, 0.008, 0.004])}, "slope"),
        ({"local_area_km2": np.array([20.0, np.nan, 15.0, 25.0])}, "local_area_km2"),
        ({"bankfull_m3s": np.array([8.0, 10.0, 20.0])}, "bankfull_m3s"),
        ({"centroid_xy_km": np.zeros((4, 3))}, "centroid_xy_km"),
        ({"gauge_xy_km": np.array([[0.0, np.inf], [1.0, 1.0], [2.0, 2.0]])}, "finite"),
        ({"gauge_ids": ("g", "g", "h")}, "repeats a gauge id"),
        ({"reach_ids": ("A", "A", "C", "D")}, "repeats a reach id"),
        ({"gauge_ids": (), "gauge_xy_km": np.zeros((0, 2))}, "needs gauges"),
    ],
)
def test_malformed_networks_are_rejected(change: dict[str, object], message: str) -> None:
    """Each kind of malformed network raises InvalidNetworkError naming the problem."""
    with pytest.raises(InvalidNetworkError, match=message):
        replace(y_basin(), **change)


def test_invalid_network_error_is_a_value_error() -> None:
    """Callers that only know ValueError still catch a malformed network."""
    with pytest.raises(ValueError):
        replace(y_basin(), reach_ids=())

"""Generated basins are valid, seeded, and follow Hack's and Flint's laws."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from converters.exceptions import InvalidNetworkError
from converters.river_network import OUTLET
from floodcast.catchment import generate_basin
from floodcast.catchment.generator import HACK_EXPONENT, SHAPES, BasinShape


def _main_stem_km(basin_downstream: np.ndarray, length: np.ndarray, area: np.ndarray) -> float:
    """Length of the principal stream: from the outlet, always up the largest tributary."""
    node = int(np.flatnonzero(basin_downstream == OUTLET)[0])
    total = 0.0
    while True:
        total += length[node]
        upstream = np.flatnonzero(basin_downstream == node)
        if len(upstream) == 0:
            return total
        node = int(upstream[np.argmax(area[upstream])])


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_generated_basin_is_well_formed(shape: BasinShape) -> None:
    """Ids, ordering, sizes and gauge count match the request for every shape."""
    basin = generate_basin("gen", n_reaches=25, n_gauges=6, seed=3, shape=shape)
    assert basin.reach_ids[0] == "R01" and basin.reach_ids[-1] == "R25"
    assert basin.gauge_ids == tuple(f"gen-G{i:02d}" for i in range(1, 7))
    assert np.all((basin.downstream > np.arange(25)) | (basin.downstream == OUTLET))
    assert basin.downstream[-1] == OUTLET
    expected_area = 25 * SHAPES[shape].km2_per_reach
    assert basin.local_area_km2.sum() == pytest.approx(expected_area, rel=1e-3)


def test_same_seed_same_basin_and_other_seed_other_basin() -> None:
    """Generation is deterministic in the seed."""
    first = generate_basin("g", n_reaches=20, n_gauges=5, seed=8)
    again = generate_basin("g", n_reaches=20, n_gauges=5, seed=8)
    other = generate_basin("g", n_reaches=20, n_gauges=5, seed=9)
    for name in ("downstream", "length_km", "slope", "centroid_xy_km", "gauge_xy_km"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.centroid_xy_km, other.centroid_xy_km)


def test_main_stem_follows_hacks_law() -> None:
    """The principal stream is h * A^0.6 long (up to the minimum reach length)."""
    basin = generate_basin("g", n_reaches=40, n_gauges=8, seed=4, shape="dendritic", area_km2=800)
    main = _main_stem_km(basin.downstream, basin.length_km, basin.upstream_area_km2)
    expected = SHAPES["dendritic"].hack_coeff * 800.0**HACK_EXPONENT
    assert main == pytest.approx(expected, rel=0.15)


def test_slopes_fall_downstream() -> None:
    """Every reach is flatter than each reach draining into it."""
    basin = generate_basin("g", n_reaches=40, n_gauges=8, seed=5, shape="elongated")
    inner = basin.downstream != OUTLET
    assert np.all(basin.slope[basin.downstream[inner]] < basin.slope[inner])


def test_elongated_basins_are_longer_than_compact_ones() -> None:
    """An elongated basin's footprint has a larger aspect ratio than a compact one's."""

    def aspect(shape: BasinShape) -> float:
        xy = generate_basin("g", n_reaches=30, n_gauges=5, seed=6, shape=shape).centroid_xy_km
        spread = np.sqrt(np.linalg.eigvalsh(np.cov(xy.T)))
        return float(spread[1] / spread[0])

    assert aspect("elongated") > aspect("compact")


def test_gauges_spread_over_the_basin() -> None:
    """Every subcatchment centroid has a gauge within a few gauge spacings."""
    basin = generate_basin("g", n_reaches=30, n_gauges=10, seed=7, area_km2=600.0)
    spacing = np.sqrt(600.0 / 10)
    distance = np.linalg.norm(
        basin.centroid_xy_km[:, None, :] - basin.gauge_xy_km[None, :, :], axis=-1
    ).min(axis=1)
    assert distance.max() < 1.5 * spacing


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_reaches": 0, "n_gauges": 3},
        {"n_reaches": 5, "n_gauges": 0},
        {"n_reaches": 5, "n_gauges": 3, "shape": "round"},
        {"n_reaches": 5, "n_gauges": 3, "area_km2": -10.0},
    ],
)
def test_bad_generator_arguments_are_rejected(kwargs: dict[str, Any]) -> None:
    """Impossible requests raise InvalidNetworkError."""
    with pytest.raises(InvalidNetworkError):
        generate_basin("g", seed=1, **kwargs)

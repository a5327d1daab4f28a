"""Small hand-built river networks for unit tests."""

from __future__ import annotations

import numpy as np

from converters.river_network import OUTLET, Basin


def y_basin(basin_id: str = "toy") -> Basin:
    """Two headwater reaches (A, B) joining into C, which drains through D to the outlet."""
    return Basin(
        basin_id=basin_id,
        reach_ids=("A", "B", "C", "D"),
        downstream=np.array([2, 2, 3, OUTLET]),
        length_km=np.array([4.0, 5.0, 6.0, 8.0]),
        slope=np.array([0.02, 0.015, 0.008, 0.004]),
        local_area_km2=np.array([20.0, 30.0, 15.0, 25.0]),
        bankfull_m3s=np.array([8.0, 10.0, 20.0, 30.0]),
        centroid_xy_km=np.array([[0.0, 10.0], [10.0, 10.0], [5.0, 5.0], [5.0, 0.0]]),
        gauge_ids=("toy-G1", "toy-G2", "toy-G3"),
        gauge_xy_km=np.array([[1.0, 9.0], [9.0, 9.0], [5.0, 1.0]]),
    )

"""Where a basin lies on the map: used to aim storms at it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.river_network import OUTLET, Basin


@dataclass(frozen=True, eq=False)
class BasinFootprint:
    """A basin's position and size in km.

    Attributes:
        centre_xy_km: area-weighted centroid of the subcatchments.
        extent_km: distance from the centre to the farthest subcatchment edge.
        outlet_xy_km: centroid of the outlet reach.
        headwater_xy_km: area-weighted centroid of the reaches farthest (by flow path) from the
            outlet, a quarter of the basin area.
        lower_left_km: lower-left corner of the bounding box of the subcatchments.
        upper_right_km: upper-right corner of the bounding box.
    """

    centre_xy_km: NDArray[np.float64]
    extent_km: float
    outlet_xy_km: NDArray[np.float64]
    headwater_xy_km: NDArray[np.float64]
    lower_left_km: NDArray[np.float64]
    upper_right_km: NDArray[np.float64]

    @classmethod
    def from_basin(cls, basin: Basin) -> BasinFootprint:
        """Footprint of ``basin``."""
        area = basin.local_area_km2
        xy = basin.centroid_xy_km
        radius = np.sqrt(area / np.pi)
        centre = (xy * area[:, None]).sum(axis=0) / area.sum()
        extent = float(np.max(np.linalg.norm(xy - centre, axis=1) + radius))
        outlet = int(np.flatnonzero(basin.downstream == OUTLET)[0])
        # Flow distance from each reach's midpoint to the outlet.
        distance = 0.5 * basin.length_km.copy()
        for i in range(basin.n_reaches - 1, -1, -1):  # downstream reaches come later
            d = basin.downstream[i]
            if d != OUTLET:
                distance[i] += 0.5 * basin.length_km[d] + distance[d]
        order = np.argsort(-distance)
        far = order[: int(np.searchsorted(np.cumsum(area[order]), 0.25 * area.sum())) + 1]
        headwater = (xy[far] * area[far, None]).sum(axis=0) / area[far].sum()
        return cls(
            centre_xy_km=centre,
            extent_km=extent,
            outlet_xy_km=xy[outlet].copy(),
            headwater_xy_km=headwater,
            lower_left_km=(xy - radius[:, None]).min(axis=0),
            upper_right_km=(xy + radius[:, None]).max(axis=0),
        )

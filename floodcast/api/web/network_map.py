"""A basin's river network as the operator page draws it: one segment per reach, gauges."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from converters.river_network import OUTLET, Basin

__all__ = ["BasinMap", "GaugeMarker", "ReachSegment", "basin_map"]

MIN_WIDTH = 1.5
MAX_WIDTH = 7.0


class ReachSegment(BaseModel):
    """One reach, drawn from its subcatchment centroid to where it drains."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    reach_id: str
    x1: float
    y1: float
    x2: float
    y2: float
    """End point: the downstream reach's centroid, or the outlet."""
    width: float
    """Stroke width, growing with the logarithm of the upstream area."""
    upstream_area_km2: float
    bankfull_m3s: float
    downstream_id: str | None
    """The reach it drains into; None for the outlet reach."""
    reaches_to_outlet: int


class GaugeMarker(BaseModel):
    """A rain gauge's position."""

    model_config = ConfigDict(frozen=True)

    gauge_id: str
    x: float
    y: float


class BasinMap(BaseModel):
    """Everything needed to draw a basin, in km with y pointing north."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    basin_id: str
    reaches: list[ReachSegment]
    """Upstream first, as the model orders them."""
    gauges: list[GaugeMarker]
    outlet_x: float
    outlet_y: float
    bounds: tuple[float, float, float, float]
    """min x, min y, max x, max y over reaches, outlet and gauges."""


def _outlet_point(basin: Basin, outlet: int) -> np.ndarray:
    """A point past the outlet reach's centroid, away from the reaches that feed it."""
    xy = basin.centroid_xy_km
    feeders = [i for i, d in enumerate(basin.downstream) if d == outlet]
    direction = xy[outlet] - (xy[feeders].mean(axis=0) if feeders else xy.mean(axis=0))
    norm = float(np.linalg.norm(direction))
    if norm < 1e-9:
        direction, norm = np.array([0.0, -1.0]), 1.0
    step = max(float(basin.length_km[outlet]), 0.5)
    return xy[outlet] + direction / norm * step


def basin_map(basin: Basin) -> BasinMap:
    """Draw ``basin``: reach segments (width by upstream area), gauges and the outlet.

    Args:
        basin: a river network from the model package.

    Returns:
        The basin's map.
    """
    xy = basin.centroid_xy_km
    outlet = int(np.flatnonzero(basin.downstream == OUTLET)[0])
    outlet_xy = _outlet_point(basin, outlet)
    log_area = np.log(basin.upstream_area_km2)
    span = float(log_area.max() - log_area.min()) or 1.0
    widths = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (log_area - log_area.min()) / span
    depth = basin.depth()
    reaches = []
    for i, reach_id in enumerate(basin.reach_ids):
        d = int(basin.downstream[i])
        end = outlet_xy if d == OUTLET else xy[d]
        reaches.append(
            ReachSegment(
                reach_id=reach_id,
                x1=round(float(xy[i, 0]), 4),
                y1=round(float(xy[i, 1]), 4),
                x2=round(float(end[0]), 4),
                y2=round(float(end[1]), 4),
                width=round(float(widths[i]), 3),
                upstream_area_km2=round(float(basin.upstream_area_km2[i]), 3),
                bankfull_m3s=round(float(basin.bankfull_m3s[i]), 3),
                downstream_id=None if d == OUTLET else basin.reach_ids[d],
                reaches_to_outlet=int(depth[i]),
            )
        )
    gauges = [
        GaugeMarker(gauge_id=g, x=round(float(x), 4), y=round(float(y), 4))
        for g, (x, y) in zip(basin.gauge_ids, basin.gauge_xy_km, strict=True)
    ]
    points = np.vstack([xy, outlet_xy[None, :], basin.gauge_xy_km])
    low, high = points.min(axis=0), points.max(axis=0)
    return BasinMap(
        basin_id=basin.basin_id,
        reaches=reaches,
        gauges=gauges,
        outlet_x=round(float(outlet_xy[0]), 4),
        outlet_y=round(float(outlet_xy[1]), 4),
        bounds=(float(low[0]), float(low[1]), float(high[0]), float(high[1])),
    )

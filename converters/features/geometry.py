"""How gauges see a basin: weights from gauges to each reach's local and upstream area."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.features.river_stage import StageGeometry
from converters.features.spec import UPSTREAM_GAUGE_SHARE
from converters.river_network import OUTLET, Basin
from converters.stage_sensors import stage_sensor_id


def _inverse_distance_weights(
    points_xy: NDArray[np.float64], gauges_xy: NDArray[np.float64], power: float = 2.0
) -> NDArray[np.float64]:
    """Row-normalised inverse-distance weights from each gauge to each point."""
    distance = np.linalg.norm(points_xy[:, None, :] - gauges_xy[None, :, :], axis=-1)
    weights = 1.0 / np.maximum(distance, 0.1) ** power
    result: NDArray[np.float64] = weights / weights.sum(axis=1, keepdims=True)
    return result


def _longest_upstream_path_km(basin: Basin) -> NDArray[np.float64]:
    """Length of the longest flow path that ends at each reach's downstream end."""
    longest = basin.length_km.astype(np.float64).copy()
    for i in range(basin.n_reaches):  # upstream reaches come first
        d = basin.downstream[i]
        if d != OUTLET:
            longest[d] = max(longest[d], longest[i] + basin.length_km[d])
    return longest


@dataclass(frozen=True, eq=False)
class BasinGeometry:
    """The linear maps from gauge statistics to reach features, and the static reach features.

    Attributes:
        basin_id: the basin.
        reach_ids: reaches in the basin's upstream-first order.
        gauge_ids: gauges in the order the feature state expects their readings.
        upstream_weights: (reaches, gauges); row ``i`` averages gauges over reach ``i``'s
            whole upstream area, weighted by subcatchment area.
        local_weights: (reaches, gauges); row ``i`` averages gauges over reach ``i``'s own
            subcatchment.
        upstream_gauges: (reaches, gauges) bool; the gauges that weigh on each reach's
            upstream area (at least the heaviest one).
        static: (reaches, len(STATIC_NAMES)) time-invariant reach attributes.
        bankfull_mmh: rain rate over the upstream area that equals bankfull discharge.
        stage: the basin's river-level sensors and which of them each reach reads.
    """

    basin_id: str
    reach_ids: tuple[str, ...]
    gauge_ids: tuple[str, ...]
    upstream_weights: NDArray[np.float64]
    local_weights: NDArray[np.float64]
    upstream_gauges: NDArray[np.bool_]
    static: NDArray[np.float64]
    bankfull_mmh: NDArray[np.float64]
    stage: StageGeometry

    @classmethod
    def from_basin(cls, basin: Basin) -> BasinGeometry:
        """Derive the gauge-to-reach weights and static attributes of ``basin``."""
        local = _inverse_distance_weights(basin.centroid_xy_km, basin.gauge_xy_km)
        area_weighted = basin.upstream_matrix() * basin.local_area_km2[None, :]
        upstream = (area_weighted @ local) / basin.upstream_area_km2[:, None]
        # m³/s over km² -> mm/h: 1 m³/s / 1 km² = 3.6 mm/h
        bankfull_mmh = basin.bankfull_m3s * 3.6 / basin.upstream_area_km2
        static = np.column_stack(
            [
                np.log(basin.upstream_area_km2),
                basin.slope,
                basin.length_km,
                bankfull_mmh,
                _longest_upstream_path_km(basin),
                basin.depth().astype(np.float64),
            ]
        )
        upstream_gauges = upstream >= UPSTREAM_GAUGE_SHARE
        upstream_gauges[np.arange(basin.n_reaches), upstream.argmax(axis=1)] = True
        return cls(
            basin_id=basin.basin_id,
            reach_ids=basin.reach_ids,
            gauge_ids=basin.gauge_ids,
            upstream_weights=np.ascontiguousarray(upstream),
            local_weights=np.ascontiguousarray(local),
            upstream_gauges=upstream_gauges,
            static=static,
            bankfull_mmh=bankfull_mmh,
            stage=StageGeometry.from_basin(basin),
        )

    @property
    def n_reaches(self) -> int:
        return len(self.reach_ids)

    @property
    def n_gauges(self) -> int:
        return len(self.gauge_ids)

    @property
    def stage_sensor_ids(self) -> tuple[str, ...]:
        """Stage sensor ids in ``stage`` order (the order ``IncrementalFeatures`` expects)."""
        return tuple(stage_sensor_id(self.basin_id, r) for r in self.stage.sensor_reaches)

    @property
    def stage_sensor_reach_ids(self) -> tuple[str, ...]:
        """The reach each stage sensor sits on, in ``stage`` order."""
        return tuple(self.reach_ids[r] for r in self.stage.sensor_reaches)

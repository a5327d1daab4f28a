"""Each basin's latest river levels as a share of bankfull, for the demo screen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from converters.features import BasinGeometry
from converters.river_network import Basin
from schemas import RiverLevelReading

MAX_SENSORS_SHOWN = 3
STEADY_M = 0.01
"""A change of at most this much between a sensor's readings shows as steady (1 cm: noise)."""


@dataclass(frozen=True)
class SensorSite:
    """Where a stage sensor is: its basin, its reach, whether that is the outlet, bankfull."""

    basin_id: str
    reach_id: str
    outlet: bool
    bankfull_m: float


def sensor_sites(basins: Iterable[Basin]) -> dict[str, SensorSite]:
    """Every stage sensor of ``basins``, by sensor id."""
    sites = {}
    for basin in basins:
        geometry = BasinGeometry.from_basin(basin)
        outlet = geometry.stage_sensor_ids[-1] if geometry.stage.n_sensors else None
        bankfull = geometry.stage.bankfull_stage_m
        for i, (sensor, reach) in enumerate(
            zip(geometry.stage_sensor_ids, geometry.stage_sensor_reach_ids, strict=True)
        ):
            sites[sensor] = SensorSite(basin.basin_id, reach, sensor == outlet, float(bankfull[i]))
    return sites


@dataclass
class LevelReadout:
    """The latest level of each known sensor and the one before it (for the trend).

    Args:
        sites: the sensors to show; levels of any other sensor are not shown.
    """

    sites: Mapping[str, SensorSite] = field(default_factory=dict)
    latest: dict[str, RiverLevelReading] = field(default_factory=dict)
    previous: dict[str, RiverLevelReading] = field(default_factory=dict)

    def add(self, level: RiverLevelReading) -> bool:
        """Keep ``level`` if its sensor is known (at its basin and reach) and it is newer than
        the sensor's latest; whether it was kept."""
        site = self.sites.get(level.sensor_id)
        if site is None or (site.basin_id, site.reach_id) != (level.basin_id, level.reach_id):
            return False
        latest = self.latest.get(level.sensor_id)
        if latest is not None and level.observed_at <= latest.observed_at:
            return False
        if latest is not None:
            self.previous[level.sensor_id] = latest
        self.latest[level.sensor_id] = level
        return True

    def basins(self) -> set[str]:
        """Basins with a level shown."""
        return {self.sites[sensor].basin_id for sensor in self.latest}

    def text(self, basin_id: str) -> str:
        """``outlet 0.82× ↑ · R07 1.05× ↑``: the outlet, then the highest others, as a share of
        bankfull with the trend since the sensor's reading before."""
        shown = []
        for sensor, level in self.latest.items():
            site = self.sites[sensor]
            if site.basin_id == basin_id:
                shown.append((not site.outlet, -level.stage_m / site.bankfull_m, sensor))
        if not shown:
            return "–"
        parts = []
        for _, _, sensor in sorted(shown)[:MAX_SENSORS_SHOWN]:
            site, level = self.sites[sensor], self.latest[sensor]
            ratio = level.stage_m / site.bankfull_m
            name = "outlet" if site.outlet else site.reach_id
            text = f"{name} {ratio:.2f}× {self._trend(sensor)}"
            parts.append(f"[red]{text}[/red]" if ratio >= 1.0 else text)
        return " · ".join(parts)

    def _trend(self, sensor: str) -> str:
        before = self.previous.get(sensor)
        if before is None:
            return "·"
        change = self.latest[sensor].stage_m - before.stage_m
        return "↑" if change > STEADY_M else "↓" if change < -STEADY_M else "→"

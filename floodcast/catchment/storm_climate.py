"""A storm climate: sequences of storms separated by dry spells, with seasons.

Storms alternate with exponentially distributed dry spells (shorter in winter), so soils wet
up through a run of storms and dry out over a long spell: antecedent wetness matters. The mix
shifts with the season: frontal rain bands dominate in winter, convective clusters in summer,
and a few slow, stalled systems occur at any time. Parameter ranges follow temperate maritime
climatology: frontal bands 2-15 mm/h over 30-110 km moving at 15-45 km/h; convective
cells 20-80 mm/h over 3-8 km, living 0.75-2.5 h; stalled systems moving under 4 km/h
for 4-8 h with 15-30 mm/h cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from converters.river_network import Basin
from floodcast.catchment.footprint import BasinFootprint
from floodcast.catchment.storms import RainCell, Storm, StormKind

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)
"""Default simulation start."""


def _steps(hours: float, step_minutes: int) -> int:
    """Whole steps (at least one) covering ``hours``."""
    return max(1, round(hours * 60.0 / step_minutes))


@dataclass(frozen=True)
class StormClimate:
    """How often storms come, and what they look like.

    Attributes:
        mean_dry_spell_winter_h: mean gap between storms in midwinter.
        mean_dry_spell_summer_h: mean gap between storms in midsummer.
        convective_share_winter: share of convective storms in midwinter.
        convective_share_summer: share of convective storms in midsummer.
        stalled_share: share of stalled systems, all year.
        frontal_peak_median_mm_h: median peak rate of frontal rain bands.
        convective_peak_median_mm_h: median peak rate of convective cells.
        heading_deg: direction storms mostly travel towards (0 = east, 90 = north).
    """

    mean_dry_spell_winter_h: float = 55.0
    mean_dry_spell_summer_h: float = 90.0
    convective_share_winter: float = 0.1
    convective_share_summer: float = 0.55
    stalled_share: float = 0.02
    frontal_peak_median_mm_h: float = 3.0
    convective_peak_median_mm_h: float = 35.0
    heading_deg: float = 20.0

    def draw(
        self,
        basin: Basin,
        n_steps: int,
        rng: np.random.Generator,
        *,
        step_minutes: int = 15,
        start: datetime = DEFAULT_START,
    ) -> tuple[Storm, ...]:
        """Draw the storms of ``n_steps`` steps, in start order, none overlapping.

        Args:
            basin: the basin storms are aimed at (they may also miss it partly).
            n_steps: simulation length in steps.
            rng: random source.
            step_minutes: step length in minutes.
            start: time of step 0, for the seasons.

        Returns:
            Storms that start within ``[0, n_steps)``.
        """
        footprint = BasinFootprint.from_basin(basin)
        storms: list[Storm] = []
        step = _steps(rng.uniform(0.0, self.mean_dry_spell_winter_h), step_minutes)
        while step < n_steps:
            summer = self._summerness(start + timedelta(minutes=step * step_minutes))
            kind = self._kind(summer, rng)
            storm = self._draw_storm(kind, footprint, step, step_minutes, rng)
            storms.append(storm)
            mean_dry = self.mean_dry_spell_winter_h + summer * (
                self.mean_dry_spell_summer_h - self.mean_dry_spell_winter_h
            )
            step = storm.end_step + _steps(max(6.0, rng.exponential(mean_dry)), step_minutes)
        return tuple(storms)

    @staticmethod
    def _summerness(when: datetime) -> float:
        """0 in mid-January, 1 in mid-July."""
        day = when.timetuple().tm_yday
        return 0.5 * (1.0 - math.cos(2.0 * math.pi * (day - 15) / 365.0))

    def _kind(self, summer: float, rng: np.random.Generator) -> StormKind:
        convective = self.convective_share_winter + summer * (
            self.convective_share_summer - self.convective_share_winter
        )
        u = rng.uniform()
        if u < self.stalled_share:
            return "stalled"
        return "convective" if u < self.stalled_share + convective else "frontal"

    def _draw_storm(
        self,
        kind: StormKind,
        footprint: BasinFootprint,
        step: int,
        step_minutes: int,
        rng: np.random.Generator,
    ) -> Storm:
        if kind == "frontal":
            return self._frontal(footprint, step, step_minutes, rng)
        if kind == "convective":
            return self._convective(footprint, step, step_minutes, rng)
        return self._stalled(footprint, step, step_minutes, rng)

    def _aim(
        self,
        footprint: BasinFootprint,
        spread: float,
        speed_kmh: float,
        heading_sd_deg: float,
        duration_steps: int,
        step_minutes: int,
        rng: np.random.Generator,
    ) -> tuple[float, float, float, float]:
        """Start centre and velocity so the storm is over a target point at mid-life."""
        target = footprint.centre_xy_km + rng.uniform(-1.0, 1.0, 2) * spread * footprint.extent_km
        heading = math.radians(self.heading_deg + rng.normal(0.0, heading_sd_deg))
        vx, vy = speed_kmh * math.cos(heading), speed_kmh * math.sin(heading)
        half_life_h = 0.5 * duration_steps * step_minutes / 60.0
        return float(target[0] - vx * half_life_h), float(target[1] - vy * half_life_h), vx, vy

    def _frontal(
        self, footprint: BasinFootprint, step: int, step_minutes: int, rng: np.random.Generator
    ) -> Storm:
        radius = rng.uniform(30.0, 110.0)
        speed = rng.uniform(15.0, 45.0)
        crossing_h = (1.8 * radius + 2.0 * footprint.extent_km) / speed
        duration = _steps(
            float(np.clip(crossing_h * rng.uniform(0.8, 1.2), 6.0, 36.0)), step_minutes
        )
        x, y, vx, vy = self._aim(footprint, 1.2, speed, 30.0, duration, step_minutes, rng)
        peak = float(
            np.clip(rng.lognormal(math.log(self.frontal_peak_median_mm_h), 0.45), 2.0, 15.0)
        )
        cells = tuple(
            RainCell(
                offset_x_km=float(rng.uniform(-0.4, 0.4) * radius),
                offset_y_km=float(rng.uniform(-0.4, 0.4) * radius),
                radius_km=float(rng.uniform(4.0, 10.0)),
                peak_mm_h=float(rng.uniform(8.0, 20.0)),
                start_offset_steps=int(rng.integers(0, duration)),
                duration_steps=_steps(rng.uniform(1.0, 3.0), step_minutes),
            )
            for _ in range(min(3, int(rng.poisson(1.0))))
        )
        return Storm(step, duration, x, y, vx, vy, radius, peak, "frontal", cells)

    def _convective(
        self, footprint: BasinFootprint, step: int, step_minutes: int, rng: np.random.Generator
    ) -> Storm:
        duration = _steps(rng.uniform(2.0, 6.0), step_minutes)
        x, y, vx, vy = self._aim(
            footprint, 1.1, rng.uniform(8.0, 35.0), 45.0, duration, step_minutes, rng
        )
        median = math.log(self.convective_peak_median_mm_h)
        cells = tuple(
            RainCell(
                offset_x_km=float(rng.uniform(-12.0, 12.0)),
                offset_y_km=float(rng.uniform(-12.0, 12.0)),
                radius_km=float(rng.uniform(3.0, 8.0)),
                peak_mm_h=float(np.clip(rng.lognormal(median, 0.35), 20.0, 80.0)),
                start_offset_steps=int(rng.integers(0, max(1, int(0.6 * duration)))),
                duration_steps=_steps(rng.uniform(0.75, 2.5), step_minutes),
            )
            for _ in range(1 + min(4, int(rng.poisson(1.5))))
        )
        body_peak, body_radius = rng.uniform(1.0, 3.0), rng.uniform(12.0, 25.0)
        return Storm(step, duration, x, y, vx, vy, body_radius, body_peak, "convective", cells)

    def _stalled(
        self, footprint: BasinFootprint, step: int, step_minutes: int, rng: np.random.Generator
    ) -> Storm:
        duration = _steps(rng.uniform(4.0, 8.0), step_minutes)
        x, y, vx, vy = self._aim(
            footprint, 0.6, rng.uniform(0.0, 4.0), 90.0, duration, step_minutes, rng
        )
        cells = tuple(
            RainCell(
                offset_x_km=float(rng.uniform(-8.0, 8.0)),
                offset_y_km=float(rng.uniform(-8.0, 8.0)),
                radius_km=float(rng.uniform(3.0, 6.0)),
                peak_mm_h=float(rng.uniform(15.0, 30.0)),
                start_offset_steps=int(rng.integers(0, max(1, duration // 2))),
                duration_steps=_steps(rng.uniform(1.5, 3.0), step_minutes),
            )
            for _ in range(int(rng.integers(1, 4)))
        )
        body_peak, body_radius = rng.uniform(2.0, 5.0), rng.uniform(10.0, 20.0)
        return Storm(step, duration, x, y, vx, vy, body_radius, body_peak, "stalled", cells)

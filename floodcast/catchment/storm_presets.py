"""Named storms aimed at a given basin, strong enough to flood several of its reaches.

- ``convective``: a line of three intense cells (55, 40, 30 mm/h) tracking from the
  headwaters down the valley to the outlet at about 20 km/h, so the rain follows the flood
  wave downstream.
- ``frontal``: a slow, wide rain band (6 mm/h over a radius of at least 60 km) with two
  embedded 12 mm/h cells, soaking the whole basin over a day.
- ``stalled``: a mesoscale system that sits over the upper basin for 6 hours, a body of
  8 mm/h with three 30 mm/h cells (the Boscastle or Lynmouth pattern).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

from converters.river_network import Basin
from floodcast.catchment.exceptions import UnknownStormPresetError
from floodcast.catchment.footprint import BasinFootprint
from floodcast.catchment.storms import RainCell, Storm

StormBuilder = Callable[[Basin, int, int], Storm]
"""Builds a preset storm from ``(basin, start_step, step_minutes)``."""


def _steps(hours: float, step_minutes: int) -> int:
    return max(1, round(hours * 60.0 / step_minutes))


def convective_line(basin: Basin, start_step: int, step_minutes: int) -> Storm:
    """Three intense cells moving from the headwaters to the outlet at about 20 km/h."""
    fp = BasinFootprint.from_basin(basin)
    track = fp.outlet_xy_km - fp.headwater_xy_km
    distance = float(np.hypot(*track))
    hours = float(np.clip(distance / 20.0 + 1.5, 2.0, 8.0))
    direction = track / max(distance, 1e-9)
    normal = np.array([-direction[1], direction[0]])
    layout = ((0.0, 0.0, 6.0, 55.0), (-5.0, 4.0, 5.0, 40.0), (-4.0, -5.0, 4.0, 30.0))
    cells = tuple(
        RainCell(
            offset_x_km=float(along * direction[0] + across * normal[0]),
            offset_y_km=float(along * direction[1] + across * normal[1]),
            radius_km=radius,
            peak_mm_h=peak,
        )
        for along, across, radius, peak in layout
    )
    return Storm(
        start_step=start_step,
        duration_steps=_steps(hours, step_minutes),
        centre_x_km=float(fp.headwater_xy_km[0]),
        centre_y_km=float(fp.headwater_xy_km[1]),
        velocity_x_kmh=float(track[0] / hours),
        velocity_y_kmh=float(track[1] / hours),
        radius_km=20.0,
        peak_mm_h=3.0,
        kind="convective",
        cells=cells,
    )


def frontal_band(basin: Basin, start_step: int, step_minutes: int) -> Storm:
    """A wide, slow rain band centred on the basin halfway through a 24-hour passage."""
    fp = BasinFootprint.from_basin(basin)
    hours, speed, heading = 24.0, 12.0, math.radians(20.0)
    vx, vy = speed * math.cos(heading), speed * math.sin(heading)
    cells = tuple(
        RainCell(
            offset_x_km=dx,
            offset_y_km=dy,
            radius_km=8.0,
            peak_mm_h=12.0,
            start_offset_steps=_steps(start_h, step_minutes),
            duration_steps=_steps(4.0, step_minutes),
        )
        for dx, dy, start_h in ((-5.0, 5.0, 8.0), (5.0, -5.0, 12.0))
    )
    return Storm(
        start_step=start_step,
        duration_steps=_steps(hours, step_minutes),
        centre_x_km=float(fp.centre_xy_km[0] - vx * hours / 2),
        centre_y_km=float(fp.centre_xy_km[1] - vy * hours / 2),
        velocity_x_kmh=vx,
        velocity_y_kmh=vy,
        radius_km=max(60.0, 1.5 * fp.extent_km),
        peak_mm_h=6.0,
        kind="frontal",
        cells=cells,
    )


def stalled_system(basin: Basin, start_step: int, step_minutes: int) -> Storm:
    """Heavy rain sitting over the upper basin for six hours."""
    fp = BasinFootprint.from_basin(basin)
    centre = 0.5 * (fp.headwater_xy_km + fp.centre_xy_km)
    radius = max(10.0, 0.3 * fp.extent_km)
    cells = tuple(
        RainCell(
            offset_x_km=0.5 * radius * math.cos(angle),
            offset_y_km=0.5 * radius * math.sin(angle),
            radius_km=5.0,
            peak_mm_h=30.0,
        )
        for angle in (0.5, 2.6, 4.7)
    )
    return Storm(
        start_step=start_step,
        duration_steps=_steps(6.0, step_minutes),
        centre_x_km=float(centre[0]),
        centre_y_km=float(centre[1]),
        velocity_x_kmh=0.5,
        velocity_y_kmh=0.3,
        radius_km=radius,
        peak_mm_h=8.0,
        kind="stalled",
        cells=cells,
    )


PRESET_STORMS: Mapping[str, StormBuilder] = MappingProxyType(
    {"convective": convective_line, "frontal": frontal_band, "stalled": stalled_system}
)
"""Preset storm builders by name."""


def preset_storm(name: str, basin: Basin, start_step: int = 0, *, step_minutes: int = 15) -> Storm:
    """The preset storm ``name`` positioned over ``basin``.

    Args:
        name: one of ``PRESET_STORMS``.
        basin: basin to aim at.
        start_step: step at which the storm starts.
        step_minutes: step length of the simulation it is meant for.

    Returns:
        The storm.

    Raises:
        UnknownStormPresetError: if ``name`` is not a preset.
    """
    try:
        builder = PRESET_STORMS[name]
    except KeyError as exc:
        raise UnknownStormPresetError(
            f"no preset storm {name!r}; known: {sorted(PRESET_STORMS)}"
        ) from exc
    return builder(basin, start_step, step_minutes)

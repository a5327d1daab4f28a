"""Rainfall fields: storms evaluated at points, and areal rainfall over subcatchments."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from numpy.typing import NDArray

from converters.river_network import Basin
from floodcast.catchment.exceptions import InvalidSimulationError
from floodcast.catchment.storms import Storm

MIN_RATE_MM_H = 0.05
"""Rates below this are set to zero, so a Gaussian tail does not drizzle over the whole map."""

# Seven-point degree-3 cubature on the unit disc: the centre with weight 1/4 and six points on
# the circle of radius sqrt(2/3) with weight 1/8 each (Stroud S2 3-1 family).
_DISC_RADII = np.array([0.0] + [np.sqrt(2.0 / 3.0)] * 6)
_DISC_ANGLES = np.array([0.0] + [k * np.pi / 3.0 for k in range(6)])
_DISC_WEIGHTS = np.array([0.25] + [0.125] * 6)


def _envelope(n_steps: int) -> NDArray[np.float64]:
    """Trapezoidal lifetime shape sampled at step midpoints: 20 % rise, plateau, 30 % decay."""
    u = (np.arange(n_steps) + 0.5) / n_steps
    shape: NDArray[np.float64] = np.minimum(1.0, np.minimum(u / 0.2, (1.0 - u) / 0.3))
    return shape


def _gaussian(
    centres: NDArray[np.float64], points: NDArray[np.float64], radius_km: float
) -> NDArray[np.float64]:
    """``exp(-(d / radius) ** 2)`` for every (centre, point) pair, shape (centres, points)."""
    dx = points[None, :, 0] - centres[:, None, 0]
    dy = points[None, :, 1] - centres[:, None, 1]
    result: NDArray[np.float64] = np.exp(-(dx * dx + dy * dy) / (radius_km * radius_km))
    return result


def _storm_rates(
    storm: Storm, points: NDArray[np.float64], step_hours: float
) -> NDArray[np.float64]:
    """Rain rate (mm/h) of one storm at every point for each step of its life."""
    n = storm.duration_steps
    t_h = (np.arange(n) + 0.5) * step_hours  # step midpoints
    centres = np.column_stack(
        [
            storm.centre_x_km + storm.velocity_x_kmh * t_h,
            storm.centre_y_km + storm.velocity_y_kmh * t_h,
        ]
    )
    rates = np.zeros((n, len(points)))
    if storm.peak_mm_h > 0:
        rates += (
            storm.peak_mm_h * _envelope(n)[:, None] * _gaussian(centres, points, storm.radius_km)
        )
    for cell in storm.cells:
        first = cell.start_offset_steps
        life = cell.duration_steps if cell.duration_steps is not None else n - first
        last = min(n, first + life)
        offset = np.array([cell.offset_x_km, cell.offset_y_km])
        shape = _envelope(life)[: last - first, None]
        gauss = _gaussian(centres[first:last] + offset, points, cell.radius_km)
        rates[first:last] += cell.peak_mm_h * shape * gauss
    rates[rates < MIN_RATE_MM_H] = 0.0
    return rates


def _check_grid(n_steps: int, step_minutes: int) -> None:
    if n_steps < 1 or step_minutes < 1:
        raise InvalidSimulationError("n_steps and step_minutes must be >= 1")


def _storm_depths(
    storms: Iterable[Storm], points: NDArray[np.float64], n_steps: int, step_minutes: int
) -> Iterator[tuple[int, int, NDArray[np.float64]]]:
    """For each storm inside the run: ``(first, stop, depth)`` with depth (stop - first, P) mm."""
    step_hours = step_minutes / 60.0
    for storm in storms:
        lo, hi = max(storm.start_step, 0), min(storm.end_step, n_steps)
        if lo < hi:
            rates = _storm_rates(storm, points, step_hours)
            yield lo, hi, rates[lo - storm.start_step : hi - storm.start_step] * step_hours


def rainfall_field(
    storms: Iterable[Storm],
    points_xy_km: NDArray[np.float64],
    n_steps: int,
    step_minutes: int = 15,
) -> NDArray[np.float64]:
    """Rain depth (mm per step) falling at each point, summed over all storms.

    Args:
        storms: storms to evaluate; parts outside ``[0, n_steps)`` are ignored.
        points_xy_km: (P, 2) point positions in km.
        n_steps: number of simulation steps.
        step_minutes: step length; rates are evaluated at step midpoints.

    Returns:
        float64 array (n_steps, P) of rain depth in mm per step.

    Raises:
        InvalidSimulationError: if ``points_xy_km`` is not (P, 2) or ``n_steps`` < 1.
    """
    points = np.asarray(points_xy_km, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise InvalidSimulationError(f"points must have shape (P, 2), got {points.shape}")
    _check_grid(n_steps, step_minutes)
    depth = np.zeros((n_steps, len(points)))
    for lo, hi, block in _storm_depths(storms, points, n_steps, step_minutes):
        depth[lo:hi] += block
    return depth


def _disc_points(
    centres_xy_km: NDArray[np.float64], radius_km: NDArray[np.float64]
) -> NDArray[np.float64]:
    """(len(centres) * 7, 2) cubature points of a disc around each centre, grouped by centre."""
    offsets = np.column_stack(
        [_DISC_RADII * np.cos(_DISC_ANGLES), _DISC_RADII * np.sin(_DISC_ANGLES)]
    )
    points = centres_xy_km[:, None, :] + radius_km[:, None, None] * offsets[None, :, :]
    return points.reshape(-1, 2)


def subcatchment_points(basin: Basin) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cubature points and weights that average a field over each reach's local subcatchment.

    Each subcatchment is represented by the disc of its area centred on the reach centroid.

    Returns:
        ``(points, weights)``: points (n_reaches * 7, 2) in km grouped by reach, and weights
        (7,) that sum to one.
    """
    radius = np.sqrt(basin.local_area_km2 / np.pi)
    return _disc_points(basin.centroid_xy_km, radius), _DISC_WEIGHTS.copy()


def areal_rainfall(
    basin: Basin, storms: Iterable[Storm], n_steps: int, step_minutes: int = 15
) -> NDArray[np.float64]:
    """Mean rain depth (mm per step) over each reach's local subcatchment.

    Args:
        basin: the basin whose subcatchments receive the rain.
        storms: storms to evaluate.
        n_steps: number of simulation steps.
        step_minutes: step length in minutes.

    Returns:
        float64 array (n_steps, n_reaches).
    """
    _check_grid(n_steps, step_minutes)
    points, weights = subcatchment_points(basin)
    areal = np.zeros((n_steps, basin.n_reaches))
    # Reduce each storm's cubature points to reaches at once: the full (T, 7 n) field of a
    # year would be ~100 MB.
    for lo, hi, block in _storm_depths(storms, points, n_steps, step_minutes):
        areal[lo:hi] += block.reshape(hi - lo, basin.n_reaches, len(weights)) @ weights
    return areal


def gauge_area_rainfall(
    basin: Basin, storms: Iterable[Storm], n_steps: int, step_minutes: int = 15
) -> NDArray[np.float64]:
    """Mean rain depth (mm per step) over the area each gauge represents.

    A gauge's area is taken as a disc of the basin's area over its gauges, centred on the
    gauge: what a rain forecast per gauge area aims at.

    Returns:
        float64 array (n_steps, n_gauges).
    """
    _check_grid(n_steps, step_minutes)
    share_km2 = float(basin.local_area_km2.sum()) / basin.n_gauges
    radius = np.full(basin.n_gauges, np.sqrt(share_km2 / np.pi))
    points = _disc_points(basin.gauge_xy_km, radius)
    areal = np.zeros((n_steps, basin.n_gauges))
    for lo, hi, block in _storm_depths(storms, points, n_steps, step_minutes):
        areal[lo:hi] += block.reshape(hi - lo, basin.n_gauges, len(_DISC_WEIGHTS)) @ _DISC_WEIGHTS
    return areal

"""Potential evapotranspiration with a seasonal and a daily cycle."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

ANNUAL_PET_MM = 550.0
"""Annual potential evapotranspiration of a temperate maritime climate."""

_SEASONAL_AMPLITUDE = 0.9
_PEAK_DAY_OF_YEAR = 196.0  # mid-July


def potential_evaporation_mm(
    start: datetime, n_steps: int, step_minutes: int = 15, annual_mm: float = ANNUAL_PET_MM
) -> NDArray[np.float64]:
    """Potential evapotranspiration depth (mm per step) for each step.

    The daily total follows ``annual / 365 * (1 + 0.9 cos(2π (doy - 196) / 365))`` (about
    0.15 mm/day in winter, 2.9 mm/day in July) and is spread over daylight hours (06-18 UTC)
    as a half sine, so evaporation stops at night.

    Args:
        start: time of the first step's start (tz-aware).
        n_steps: number of steps.
        step_minutes: step length in minutes.
        annual_mm: annual total.

    Returns:
        float64 array (n_steps,).
    """
    step_h = step_minutes / 60.0
    new_year = start.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    offset_h = (start - new_year) / timedelta(hours=1)
    t_h = offset_h + (np.arange(n_steps) + 0.5) * step_h  # step midpoints, hours since 1 Jan
    day_of_year = t_h / 24.0
    daily_mm = (annual_mm / 365.0) * (
        1.0 + _SEASONAL_AMPLITUDE * np.cos(2.0 * np.pi * (day_of_year - _PEAK_DAY_OF_YEAR) / 365.0)
    )
    hour = np.mod(t_h, 24.0)
    # A half sine over 06-18 h integrates to 24/π hours, so this shape sums to one per day.
    daylight = np.maximum(np.sin(np.pi * (hour - 6.0) / 12.0), 0.0) * (hour > 6.0) * (hour < 18.0)
    pet: NDArray[np.float64] = daily_mm * daylight * step_h / (24.0 / np.pi)
    return pet

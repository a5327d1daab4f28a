"""Battery voltage of solar-buffered 12 V gauge loggers: slow drain, small jitter."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FULL_RANGE_V = (12.6, 13.2)
"""Range of each gauge's voltage at the start of a run."""
DRAIN_V_PER_DAY = 0.03
"""Mean drain: a cloudy-season logger whose panel no longer keeps up."""
JITTER_V = 0.01
"""Spread of the step-to-step measurement noise."""
CUTOFF_V = 10.5
"""Voltage the logger's low-voltage disconnect holds the reading at."""


def battery_voltages(
    n_steps: int, n_gauges: int, step_minutes: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Battery voltage each gauge reports with each reading.

    Each gauge drains at its own rate around ``DRAIN_V_PER_DAY``. Values are rounded to
    10 mV, which also keeps their JSON form short.

    Args:
        n_steps: readings per gauge.
        n_gauges: gauges.
        step_minutes: time between readings.
        rng: random source.

    Returns:
        (n_steps, n_gauges) voltages in volts.
    """
    start = rng.uniform(*FULL_RANGE_V, n_gauges)
    drain_per_step = rng.uniform(0.5, 1.5, n_gauges) * DRAIN_V_PER_DAY * step_minutes / 1440.0
    steps = np.arange(n_steps)[:, None]
    volts = start - steps * drain_per_step + rng.normal(0.0, JITTER_V, (n_steps, n_gauges))
    rounded: NDArray[np.float64] = np.round(np.maximum(volts, CUTOFF_V), 2)
    return rounded

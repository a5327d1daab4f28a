"""What simulated river-level (stage) sensors report.

Placement and rating are in ``converters.stage_sensors``. A sensor reports the rated stage with
a fixed rating error of its own (the published rating is never exact), a little noise, single
lost readings, and outages lasting hours.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from converters.stage_sensors import rated_stage_m

RATING_BIAS_SD = 0.05
"""Spread of each sensor's fixed multiplicative stage error (rating and datum error)."""

STAGE_NOISE_SD_M = 0.01
"""Per-reading noise (waves, sensor resolution), metres."""

DROPOUT_PROBABILITY = 0.02
"""Chance that any one reading is lost."""

OUTAGE_START_PROBABILITY = 1.0 / (14 * 96)
"""Chance per 15-minute step that a working sensor fails (about once a fortnight)."""

OUTAGE_MEAN_STEPS = 24
"""Mean outage length in steps (6 h), geometrically distributed."""


def stage_readings(
    discharge_m3s: NDArray[np.float64],
    sensors: tuple[int, ...],
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """What the sensors report at every step of a simulated record.

    Args:
        discharge_m3s: (T, reaches) simulated discharge.
        sensors: the reaches with a sensor (see :func:`stage_sensor_reaches`).
        rng: source of the rating errors, noise, dropouts and outages.

    Returns:
        (T, len(sensors)) stage in metres; NaN where no reading arrives.
    """
    n_sensors = len(sensors)
    bias = np.clip(rng.normal(1.0, RATING_BIAS_SD, n_sensors), 0.85, 1.15)
    stage = rated_stage_m(discharge_m3s[:, list(sensors)]) * bias
    stage = np.maximum(stage + rng.normal(0.0, STAGE_NOISE_SD_M, stage.shape), 0.0)
    lost = rng.random(stage.shape) < DROPOUT_PROBABILITY
    starts = rng.random(stage.shape) < OUTAGE_START_PROBABILITY
    for step, sensor in zip(*np.nonzero(starts), strict=True):
        length = int(rng.geometric(1.0 / OUTAGE_MEAN_STEPS))
        lost[step : step + length, sensor] = True
    return np.where(lost, np.nan, np.round(stage, 3))

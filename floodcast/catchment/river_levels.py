"""River-level (stage) sensors: where they sit, their rating curve, and what they report.

A sensor measures stage, the water depth above its gauge datum (the channel bed here), in
metres. Stage follows discharge through the power-law rating ``h = 0.3 Q^0.4`` of the channel
model's hydraulic geometry, so bankfull stage is ``0.3 Q_bf^0.4``. What a sensor reports is
that stage with a fixed rating error of its own (the published rating is never exact), a little
noise, single lost readings, and outages lasting hours.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from converters.river_network import OUTLET, Basin

STAGE_COEFF = 0.3
STAGE_EXPONENT = 0.4
"""Rating ``h = STAGE_COEFF * Q ** STAGE_EXPONENT`` (m, m³/s), as in ``catchment.channel``."""

SENSOR_SPACING = 3
"""Besides the outlet, every third reach (in upstream-first order) carries a sensor."""

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


def stage_sensor_reaches(basin: Basin) -> tuple[int, ...]:
    """Indices of the reaches with a stage sensor: the outlet and every third other reach."""
    outlet = int(np.flatnonzero(basin.downstream == OUTLET)[0])
    spaced = {i for i in range(basin.n_reaches) if i % SENSOR_SPACING == 1 and i != outlet}
    return tuple(sorted(spaced | {outlet}))


def rated_stage_m(discharge_m3s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Stage (m) at a discharge by the rating curve."""
    result: NDArray[np.float64] = STAGE_COEFF * np.maximum(discharge_m3s, 0.0) ** STAGE_EXPONENT
    return result


def bankfull_stage_m(basin: Basin) -> NDArray[np.float64]:
    """Rated bankfull stage (m) of every reach."""
    return rated_stage_m(basin.bankfull_m3s)


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

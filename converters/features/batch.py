"""Features for a whole rainfall record at once (training, evaluation, backfills)."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from converters.exceptions import RainfallShapeError
from converters.features.gauge_stats import (
    API_STEP_DECAY,
    gauge_stats,
    reach_features,
    to_micrometres,
)
from converters.features.geometry import BasinGeometry
from converters.features.rain_forecast import ForecastRecord, batch_forecast_features
from converters.features.river_stage import batch_stage_features
from converters.features.spec import (
    ACCUMULATION_STEPS,
    FORECAST_COLUMNS,
    HISTORY_STEPS,
    N_FEATURES,
    N_RAIN_FEATURES,
    PEAK_WINDOW_HOURS,
    RAIN_RESOLUTION_MM,
    STAGE_COLUMNS,
    STEPS_PER_HOUR,
)


def batch_features(
    geometry: BasinGeometry,
    gauge_rain_mm: NDArray[np.float64],
    stage_m: NDArray[np.float64] | None = None,
    forecasts: ForecastRecord | None = None,
) -> NDArray[np.float64]:
    """Feature vectors for every step of a rainfall (river-level and rain forecast) record.

    Row ``t`` uses the readings of steps ``0..t`` inclusive, exactly as the incremental path
    would after ingesting step ``t``; steps before the record count as dry and unmeasured.

    Args:
        geometry: the basin's weights and static attributes.
        gauge_rain_mm: (steps, gauges) rain per step in mm; NaN marks a missing reading.
        stage_m: (steps, stage sensors) river stage in m, NaN where none arrived; None when
            the basin's stage sensors reported nothing at all.
        forecasts: the rain forecasts issued over the record; None when none was.

    Returns:
        (steps, reaches, N_FEATURES) float64.

    Raises:
        RainfallShapeError: the rainfall does not have one column per gauge.
        ForecastShapeError: the forecasts do not fit the basin.
    """
    if gauge_rain_mm.ndim != 2 or gauge_rain_mm.shape[1] != geometry.n_gauges:
        raise RainfallShapeError(
            f"expected (steps, {geometry.n_gauges}) rainfall, got {gauge_rain_mm.shape}"
        )
    rain_um = to_micrometres(gauge_rain_mm)
    steps = rain_um.shape[0]
    padded = np.vstack([np.zeros((HISTORY_STEPS, geometry.n_gauges), dtype=np.int64), rain_um])
    cumulative = np.cumsum(padded, axis=0)  # exact: integers
    end = np.arange(HISTORY_STEPS, HISTORY_STEPS + steps)
    sums = np.stack(
        [cumulative[end] - cumulative[end - w] for w in ACCUMULATION_STEPS.values()],
        axis=1,
    )
    peak_steps = PEAK_WINDOW_HOURS * STEPS_PER_HOUR
    peak = sliding_window_view(padded, peak_steps, axis=0).max(axis=-1)[-steps:]
    api = np.empty((steps, geometry.n_gauges))
    level = np.zeros(geometry.n_gauges)
    rain_mm = rain_um * RAIN_RESOLUTION_MM
    for t in range(steps):  # the recursion is evaluated exactly as the incremental path does
        level = level * API_STEP_DECAY + rain_mm[t]
        api[t] = level
    out = np.empty((steps, geometry.n_reaches, N_FEATURES))
    out[..., :N_RAIN_FEATURES] = reach_features(geometry, gauge_stats(sums, peak, api))
    out[..., STAGE_COLUMNS] = batch_stage_features(geometry.stage, stage_m, steps)
    out[..., FORECAST_COLUMNS] = batch_forecast_features(geometry, forecasts, steps)
    return out

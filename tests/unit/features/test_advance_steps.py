"""Several steps ingested at once (as the stream worker finalises a batch's slots) give the
same features, to the bit, as the batch path and as one step at a time."""

from __future__ import annotations

import numpy as np
import pytest

from converters.exceptions import ForecastShapeError, RainfallShapeError
from converters.features import N_FEATURES, BasinGeometry, IncrementalFeatures, batch_features
from converters.features.rain_forecast import ForecastRecord
from converters.features.spec import HISTORY_STEPS
from schemas import FORECAST_STEPS
from tests.helpers.networks import y_basin


@pytest.fixture
def geometry() -> BasinGeometry:
    return BasinGeometry.from_basin(y_basin())


def _season(geometry: BasinGeometry, steps: int, seed: int):
    """Rain with missing gauges, gappy stage readings and irregular forecasts."""
    rng = np.random.default_rng(seed)
    gauges, sensors = geometry.n_gauges, geometry.stage.n_sensors
    rain = np.where(rng.random((steps, gauges)) < 0.3, rng.gamma(0.8, 2.5, (steps, gauges)), 0.0)
    rain[rng.random(rain.shape) < 0.05] = np.nan
    stage = geometry.stage.bankfull_stage_m * rng.uniform(0.2, 1.4, (steps, sensors))
    stage[rng.random(stage.shape) < 0.3] = np.nan
    stage[40:70] = np.nan
    issues = np.sort(rng.choice(steps, size=steps // 6, replace=False))
    forecast = rng.gamma(0.6, 1.5, (len(issues), FORECAST_STEPS, gauges))
    return rain, stage, ForecastRecord(issue_step=issues.astype(np.int64), rain_mm=forecast)


def test_steps_in_uneven_chunks_equal_the_batch_path_bit_for_bit(geometry: BasinGeometry) -> None:
    """Chunks of 0 to 1.5 days of steps, through saves and restores between chunks, give the
    batch path's rows exactly, stage, forecast and missing gauges included."""
    steps = 500
    rain, stage, record = _season(geometry, steps, seed=21)
    issued = dict(zip(record.issue_step.tolist(), record.rain_mm, strict=True))
    inputs = [
        (rain[t], None if np.isnan(stage[t]).all() else stage[t], issued.get(t))
        for t in range(steps)
    ]
    sizes = [0, 1, 7, HISTORY_STEPS + 50, 1, 33, 0, 12, 200]
    state, rows, start = IncrementalFeatures(geometry), [], 0
    for size in sizes + [steps]:
        chunk = inputs[start : start + size]
        out = state.advance_steps(chunk)
        assert out.shape == (len(chunk), geometry.n_reaches, N_FEATURES)
        rows.append(out)
        start += len(chunk)
        state = IncrementalFeatures.from_bytes(geometry, state.to_bytes())
    assert start == steps
    np.testing.assert_array_equal(
        np.concatenate(rows), batch_features(geometry, rain, stage, record)
    )


def test_a_misshapen_step_leaves_the_state_unchanged(geometry: BasinGeometry) -> None:
    """A bad forecast or rain row anywhere in the steps raises a typed error before any of the
    steps is taken in."""
    state = IncrementalFeatures(geometry)
    state.advance_steps([(np.ones(geometry.n_gauges), None, None)] * 5)
    before = state.to_bytes()
    good = (np.ones(geometry.n_gauges), None, None)
    with pytest.raises(ForecastShapeError):
        state.advance_steps([good, (np.ones(geometry.n_gauges), None, np.zeros((2, 3)))])
    with pytest.raises(RainfallShapeError):
        state.advance_steps([good, (np.ones(geometry.n_gauges + 1), None, None)])
    assert state.to_bytes() == before

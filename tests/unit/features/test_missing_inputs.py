"""Steps without a recent stage reading or a fresh forecast take a shortcut to the missing
values: it gives exactly what the general projection gives for such steps."""

from __future__ import annotations

import numpy as np
import pytest

from converters.features import BasinGeometry
from converters.features.rain_forecast import (
    ForecastRecord,
    IncrementalForecast,
    batch_forecast_features,
)
from converters.features.river_stage import IncrementalStage, batch_stage_features
from converters.features.spec import STAGE_FEATURE_NAMES
from schemas import FORECAST_STEPS
from tests.helpers.networks import y_basin


@pytest.fixture
def geometry() -> BasinGeometry:
    return BasinGeometry.from_basin(y_basin())


def test_stale_stage_steps_equal_the_general_projection(geometry: BasinGeometry) -> None:
    """Row by row (stale rows alone take the shortcut) equals the whole record at once (where
    the fresh rows send every row through the general projection)."""
    rng = np.random.default_rng(8)
    stage = geometry.stage.bankfull_stage_m * rng.uniform(0.2, 1.4, (60, geometry.stage.n_sensors))
    stage[10:30] = np.nan  # stale from step 14 (a reading holds 4 steps)
    state = IncrementalStage(geometry.stage)
    rows = np.stack([state.advance(None if np.isnan(s).all() else s) for s in stage])
    whole = batch_stage_features(geometry.stage, stage, len(stage))
    np.testing.assert_array_equal(rows, whole)
    missing = rows[..., STAGE_FEATURE_NAMES.index("stage_missing")]
    assert (missing[15:30] == 1.0).all() and (missing[:10] == 0.0).all()


def test_stale_forecast_steps_equal_the_general_projection(geometry: BasinGeometry) -> None:
    """As for the stage: steps before the first forecast and after it went stale take the
    shortcut and agree to the bit with the projection of the whole record."""
    rng = np.random.default_rng(9)
    issues = np.array([5, 6, 40])
    rain = rng.gamma(0.6, 1.5, (len(issues), FORECAST_STEPS, geometry.n_gauges))
    record = ForecastRecord(issue_step=issues, rain_mm=rain)
    issued = dict(zip(issues.tolist(), rain, strict=True))
    state = IncrementalForecast(geometry)
    rows = np.stack([state.advance(issued.get(t)) for t in range(60)])
    np.testing.assert_array_equal(rows, batch_forecast_features(geometry, record, 60))
    assert (rows[:5, :, -1] == 1.0).all() and (rows[5:10, :, -1] == 0.0).all()
    assert (rows[30:40, :, -1] == 1.0).all()

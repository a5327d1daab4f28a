"""Rain forecast features: aligned to the step, stale after two hours, bit-identical in batch and
in the stream, and carried through a save and restore of the stream's state."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from converters.exceptions import CorruptFeatureStateError, ForecastShapeError
from converters.features import FEATURE_NAMES, BasinGeometry, IncrementalFeatures, batch_features
from converters.features.rain_forecast import (
    FORECAST_MISSING,
    ForecastRecord,
    forecast_rain_mm,
    without_forecast,
)
from converters.features.river_stage import without_stage
from converters.features.spec import FORECAST_FEATURE_NAMES, FORECAST_MAX_AGE_STEPS
from floodcast.catchment import get_basin, simulate
from floodcast.catchment.rain_forecasts import rain_forecasts
from floodcast.catchment.river_levels import stage_readings
from schemas import FORECAST_STEPS, RainForecast
from tests.helpers.networks import y_basin


@pytest.fixture
def geometry() -> BasinGeometry:
    return BasinGeometry.from_basin(y_basin())


def _column(features: np.ndarray, name: str) -> np.ndarray:
    return features[..., FEATURE_NAMES.index(name)]


def _record(geometry: BasinGeometry, steps: list[int], seed: int) -> ForecastRecord:
    rng = np.random.default_rng(seed)
    rain = rng.gamma(0.6, 1.5, (len(steps), FORECAST_STEPS, geometry.n_gauges))
    rain[rng.random(rain.shape) < 0.5] = 0.0
    return ForecastRecord(issue_step=np.array(steps, dtype=np.int64), rain_mm=rain)


def _stream(
    geometry: BasinGeometry,
    rain: np.ndarray,
    record: ForecastRecord,
    *,
    restore_at: int | None = None,
) -> np.ndarray:
    """Feed a record step by step, as the worker does, optionally through a save and restore."""
    issued = dict(zip(record.issue_step.tolist(), record.rain_mm, strict=True))
    state = IncrementalFeatures(geometry)
    rows = []
    for t, row in enumerate(rain):
        if t == restore_at:
            state = IncrementalFeatures.from_bytes(geometry, state.to_bytes())
        rows.append(state.advance(row, None, issued.get(t)))
    return np.stack(rows)


def test_forecast_features_are_bit_identical_in_batch_and_stream(
    geometry: BasinGeometry,
) -> None:
    """With forecasts issued hourly, late, and with gaps longer than two hours, step-by-step
    features (through a save and restore) equal the batch features to the bit."""
    rng = np.random.default_rng(4)
    rain = np.where(rng.random((160, geometry.n_gauges)) < 0.3, rng.gamma(0.8, 2.5), 0.0)
    record = _record(geometry, [0, 3, 7, 11, 12, 40, 44, 45, 90, 130], seed=4)
    batch = batch_features(geometry, rain, None, record)
    np.testing.assert_array_equal(_stream(geometry, rain, record, restore_at=42), batch)
    missing = _column(batch, "forecast_missing")[:, 0]
    assert missing[:50].sum() > 0 and 0 < missing.sum() < len(missing)


def test_parity_on_a_simulated_lowland_season_with_degraded_forecasts() -> None:
    """Ten simulated days of the largest basin, with its stage sensors and the simulator's
    degraded hourly forecasts (outages included): both paths agree to the bit."""
    basin = get_basin("lowland")
    geometry = BasinGeometry.from_basin(basin)
    sim = simulate(basin, days=10, seed=3)
    stage = stage_readings(
        sim.discharge_m3s, geometry.stage.sensor_reaches, np.random.default_rng(3)
    )
    record = rain_forecasts(sim, np.random.default_rng(3))
    batch = batch_features(geometry, sim.gauge_rain_mm, stage, record)
    issued = dict(zip(record.issue_step.tolist(), record.rain_mm, strict=True))
    state = IncrementalFeatures(geometry)
    stream = np.stack(
        [
            state.advance(r, s, issued.get(t))
            for t, (r, s) in enumerate(zip(sim.gauge_rain_mm, stage, strict=True))
        ]
    )
    np.testing.assert_array_equal(stream, batch)
    assert _column(batch, "forecast_rain_6h_mm").max() > 0


def test_a_forecast_counts_from_the_lead_of_its_age_until_it_is_stale(
    geometry: BasinGeometry,
) -> None:
    """A burst forecast at lead 5 (the 6th step after issue) shows in the 1 h window while the
    window covers it, stays in the 6 h window until stale, then the forecast is missing."""
    rain = np.zeros((1, FORECAST_STEPS, geometry.n_gauges))
    rain[0, 5, :] = 4.0
    record = ForecastRecord(issue_step=np.array([10]), rain_mm=rain)
    features = batch_features(geometry, np.zeros((30, geometry.n_gauges)), None, record)
    one_hour = _column(features, "forecast_rain_1h_mm")[:, 0]
    six_hours = _column(features, "forecast_rain_6h_mm")[:, 0]
    age = _column(features, "forecast_age_hours")[:, 0]
    missing = _column(features, "forecast_missing")[:, 0]
    # at step t the 1 h window holds leads t-10 .. t-7; lead 5 is in it for t = 12..15
    assert np.flatnonzero(one_hour > 0).tolist() == [12, 13, 14, 15]
    np.testing.assert_allclose(one_hour[12:16], 4.0)
    assert np.flatnonzero(six_hours > 0).tolist() == list(range(10, 16))
    stale = 10 + FORECAST_MAX_AGE_STEPS + 1
    assert (missing[:10] == 1).all() and (missing[10:stale] == 0).all()
    assert (missing[stale:] == 1).all()
    np.testing.assert_allclose(age[10:stale], np.arange(FORECAST_MAX_AGE_STEPS + 1) / 4)
    assert (six_hours[stale:] == FORECAST_MISSING).all() and (age[stale:] == FORECAST_MISSING).all()


def test_forecast_rain_is_area_weighted_and_relative_to_bankfull(geometry: BasinGeometry) -> None:
    """Forecast rain on one headwater area reaches the outlet diluted, undiluted as the wettest
    upstream area, and over bankfull as the 6 h depth over six hours of the bankfull rate."""
    rain = np.zeros((1, FORECAST_STEPS, geometry.n_gauges))
    rain[0, :, 0] = 1.0
    record = ForecastRecord(issue_step=np.array([0]), rain_mm=rain)
    row = batch_features(geometry, np.zeros((1, geometry.n_gauges)), None, record)[0]
    six = _column(row, "forecast_rain_6h_mm")
    assert six[0] > six[2] > six[3] > 0
    assert _column(row, "forecast_upstream_max_rain_3h_mm")[3] == pytest.approx(12.0)
    np.testing.assert_allclose(
        _column(row, "forecast_rain_6h_over_bankfull"), six / (geometry.bankfull_mmh * 6)
    )


def test_without_forecast_equals_a_record_without_forecasts(geometry: BasinGeometry) -> None:
    """Blanking the forecast columns gives exactly the features of a record without forecasts,
    and leaves the stage columns alone (the two degraded modes compose)."""
    rain = np.random.default_rng(2).gamma(0.5, 1.0, (40, geometry.n_gauges))
    seen = batch_features(geometry, rain, None, _record(geometry, [0, 4, 8, 12], seed=2))
    blind = batch_features(geometry, rain)
    assert not np.array_equal(seen, blind)
    np.testing.assert_array_equal(without_forecast(seen), blind)
    np.testing.assert_array_equal(without_stage(without_forecast(seen)), without_stage(blind))
    assert (_column(blind, "forecast_missing") == 1).all()
    assert FEATURE_NAMES[-len(FORECAST_FEATURE_NAMES) :] == FORECAST_FEATURE_NAMES


def test_a_message_maps_onto_the_gauges_and_a_missing_area_takes_the_mean(
    geometry: BasinGeometry,
) -> None:
    """A RainForecast's areas land in the geometry's gauge order; an area it leaves out takes
    the mean of the others; an area or basin of another basin is refused."""
    message = RainForecast(
        forecast_id="f1",
        basin_id="toy",
        issued_at=datetime(2026, 11, 25, 12, tzinfo=UTC),
        areas=(
            {"area_id": "toy-G3", "rain_mm": (3.0,) * FORECAST_STEPS},
            {"area_id": "toy-G1", "rain_mm": (1.0,) * FORECAST_STEPS},
        ),
    )
    values = forecast_rain_mm(message, geometry)
    assert values.shape == (FORECAST_STEPS, 3)
    assert values[0, 0] == 1.0 and np.isnan(values[0, 1]) and values[0, 2] == 3.0
    state = IncrementalFeatures(geometry)
    row = state.advance(np.zeros(3), None, values)
    assert _column(row, "forecast_upstream_max_rain_3h_mm")[1] == pytest.approx(24.0)
    other = message.model_copy(update={"basin_id": "elsewhere"})
    with pytest.raises(ForecastShapeError, match="elsewhere"):
        forecast_rain_mm(other, geometry)
    foreign = BasinGeometry.from_basin(replace(y_basin(), gauge_ids=("a", "b", "c")))
    with pytest.raises(ForecastShapeError, match="no gauge"):
        forecast_rain_mm(message, foreign)


def test_a_misshapen_forecast_is_refused_and_leaves_the_state_unchanged(
    geometry: BasinGeometry,
) -> None:
    """A forecast of the wrong shape raises a typed error before the state moves on; a record
    whose issues are out of order is refused by the batch path."""
    state = IncrementalFeatures(geometry)
    before = state.to_bytes()
    with pytest.raises(ForecastShapeError):
        state.advance(np.zeros(3), None, np.zeros((FORECAST_STEPS - 1, 3)))
    assert state.to_bytes() == before
    record = _record(geometry, [5, 5], seed=1)
    with pytest.raises(ForecastShapeError, match="increasing"):
        batch_features(geometry, np.zeros((10, 3)), None, record)


def test_a_state_of_the_previous_format_is_refused_by_version(geometry: BasinGeometry) -> None:
    """A state written before forecasts (format 2) is refused naming its version, not misread."""
    data = IncrementalFeatures(geometry).to_bytes()
    magic, _, gauges, steps = struct.unpack_from("<4sHHq", data)
    older = struct.pack("<4sHHq", magic, 2, gauges, steps) + data[16:]
    with pytest.raises(CorruptFeatureStateError, match="v2"):
        IncrementalFeatures.from_bytes(geometry, older)
    with pytest.raises(CorruptFeatureStateError):
        IncrementalFeatures.from_bytes(geometry, data[:-8])
    with pytest.raises(CorruptFeatureStateError):
        IncrementalFeatures.from_bytes(geometry, data[:5])

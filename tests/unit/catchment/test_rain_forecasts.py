"""Simulated rain forecasts: hourly issues with outages, made from the rain to come, with a bias
that persists within a storm and errors that grow with lead time."""

from __future__ import annotations

import numpy as np
import pytest

from floodcast.catchment import get_basin, simulate
from floodcast.catchment.rain_forecasts import ForecastErrors, rain_forecasts
from floodcast.catchment.rainfall import gauge_area_rainfall
from schemas import FORECAST_STEPS, MAX_FORECAST_STEP_MM

PERFECT = ForecastErrors(
    bias_log_sd=0.0,
    lag_sd_steps=0.0,
    noise_log_sd=(0.0, 0.0),
    blur_at_last_lead=0.0,
    miss_probability=0.0,
    false_alarm_probability=0.0,
    outage_probability=0.0,
)


@pytest.fixture(scope="module")
def season():  # type: ignore[no-untyped-def]
    basin = get_basin("midvale")
    sim = simulate(basin, days=180, seed=11)
    truth = gauge_area_rainfall(basin, sim.storms, sim.n_steps, sim.step_minutes)
    return sim, truth


def _to_come(truth: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """(issues, FORECAST_STEPS, gauges): the rain that really falls after each issue."""
    padded = np.vstack([truth, np.zeros((FORECAST_STEPS, truth.shape[1]))])
    return np.stack([padded[s + 1 : s + 1 + FORECAST_STEPS] for s in steps])


def test_without_errors_a_forecast_is_the_rain_to_come(season) -> None:  # type: ignore[no-untyped-def]
    """With every error turned off, forecasts are issued every hour and hold exactly the rain
    that falls on each gauge area in the six hours after (to the message's 0.01 mm)."""
    sim, truth = season
    record = rain_forecasts(sim, np.random.default_rng(0), PERFECT)
    assert record.issue_step.tolist() == list(range(3, sim.n_steps, 4))
    np.testing.assert_allclose(record.rain_mm, _to_come(truth, record.issue_step), atol=0.005)


def test_forecasts_are_reproducible_bounded_and_miss_some_issues(season) -> None:  # type: ignore[no-untyped-def]
    """The same seed gives the same forecasts; values are finite and within the schema's
    bounds; outages remove some hourly issues but not most."""
    sim, _ = season
    first = rain_forecasts(sim, np.random.default_rng(5))
    again = rain_forecasts(sim, np.random.default_rng(5))
    np.testing.assert_array_equal(first.rain_mm, again.rain_mm)
    assert np.isfinite(first.rain_mm).all()
    assert first.rain_mm.min() >= 0 and first.rain_mm.max() <= MAX_FORECAST_STEP_MM
    hourly = len(range(3, sim.n_steps, 4))
    assert 0.9 * hourly < len(first.issue_step) < hourly
    assert set(np.diff(first.issue_step).tolist()) > {4}


def _lagged_log_ratio(sim, truth: np.ndarray, errors: ForecastErrors) -> float:  # type: ignore[no-untyped-def]
    """Correlation of log(forecast / true 6 h basin total) between consecutive wet issues."""
    record = rain_forecasts(sim, np.random.default_rng(8), errors)
    total = record.rain_mm.sum(axis=(1, 2))
    real_total = _to_come(truth, record.issue_step).sum(axis=(1, 2))
    wet = (total > 1) & (real_total > 1)
    log_ratio = np.log(np.where(wet, total, 1.0) / np.where(wet, real_total, 1.0))
    pairs = wet[:-1] & wet[1:] & (np.diff(record.issue_step) == 4)
    assert pairs.sum() > 50
    return float(np.corrcoef(log_ratio[:-1][pairs], log_ratio[1:][pairs])[0, 1])


def test_errors_grow_with_lead_time(season) -> None:  # type: ignore[no-untyped-def]
    """The forecast's first hour tracks the rain to come more closely than its sixth, and
    forecasts neither halve nor double the rain overall."""
    sim, truth = season
    record = rain_forecasts(sim, np.random.default_rng(8))
    real = _to_come(truth, record.issue_step)
    first_hour = np.corrcoef(record.rain_mm[:, :4].ravel(), real[:, :4].ravel())[0, 1]
    last_hour = np.corrcoef(record.rain_mm[:, -4:].ravel(), real[:, -4:].ravel())[0, 1]
    assert first_hour > last_hour + 0.1
    assert 0.5 < record.rain_mm.sum() / real.sum() < 2.0


def test_the_bias_persists_from_issue_to_issue(season) -> None:  # type: ignore[no-untyped-def]
    """Consecutive issues err the same way far more often than with a bias drawn afresh."""
    sim, truth = season
    persistent = _lagged_log_ratio(sim, truth, ForecastErrors())
    fresh = _lagged_log_ratio(sim, truth, ForecastErrors(bias_ar=0.0))
    assert persistent > fresh + 0.2

"""What a rain forecast (radar nowcast blended into a weather model) says about a simulated run.

Forecasts are issued every hour, each for the next six hours per gauge area, and made from the
rain that really falls there, degraded the way real forecasts are:

- a multiplicative log-normal bias that persists within a storm (AR(1) from issue to issue,
  drawn afresh when a new storm starts);
- a timing error, a persistent random lag (AR(1) too) that shifts the rain in time, growing
  with lead time;
- a position error that grows with lead time: each area's rain is blurred towards the basin
  mean, and per-value log-normal noise widens from 20 % to 70 %;
- occasional missed cells (the rain around one area is not forecast at all) and false alarms
  (a cell that never comes);
- missing issues: outages of a few hours.

Training uses these forecasts, never the true future rain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.features.rain_forecast import ForecastRecord
from floodcast.catchment.rainfall import gauge_area_rainfall
from floodcast.catchment.simulator import Simulation
from schemas.rain_forecast import FORECAST_STEPS, MAX_FORECAST_STEP_MM


@dataclass(frozen=True)
class ForecastErrors:
    """How far forecasts stray from the rain that falls; the defaults are the simulator's.

    Attributes:
        issue_every_steps: steps between issues (hourly); each stands until the next.
        bias_log_sd: spread of the log multiplicative bias (0.35: a factor of 1.4 either way).
        bias_ar: correlation of the bias and the lag from one issue to the next in a storm.
        lag_sd_steps: spread of the timing error at the last lead; a quarter of it at lead 0.
        noise_log_sd: per-value log-normal noise at the first and the last lead.
        blur_at_last_lead: share of an area's rain replaced by the basin mean at the last lead.
        miss_probability: chance per issue that a rain cell is missed.
        miss_radius_km: areas within this distance of the missed cell's centre get no rain.
        false_alarm_probability: chance per issue of a forecast cell that never comes.
        false_alarm_peak_mm_h: range of a false cell's peak rate.
        false_alarm_radius_km: 1/e radius of a false cell.
        outage_probability: chance per issue that an outage starts (the issue is lost).
        outage_mean_issues: mean outage length in issues (geometric).
    """

    issue_every_steps: int = 4
    bias_log_sd: float = 0.35
    bias_ar: float = 0.85
    lag_sd_steps: float = 3.0
    noise_log_sd: tuple[float, float] = (0.2, 0.7)
    blur_at_last_lead: float = 0.5
    miss_probability: float = 0.08
    miss_radius_km: float = 10.0
    false_alarm_probability: float = 0.06
    false_alarm_peak_mm_h: tuple[float, float] = (4.0, 20.0)
    false_alarm_radius_km: float = 8.0
    outage_probability: float = 0.02
    outage_mean_issues: float = 3.0


_LEAD_SHARE = (np.arange(FORECAST_STEPS) + 1.0) / FORECAST_STEPS
"""How far along the forecast each lead is: 1/24 .. 1."""


def _issued(n_steps: int, errors: ForecastErrors, rng: np.random.Generator) -> NDArray[np.int64]:
    """Steps at whose end a forecast is issued, outages removed."""
    every = errors.issue_every_steps
    steps = np.arange(every - 1, n_steps, every, dtype=np.int64)
    lost = np.zeros(len(steps), dtype=bool)
    for start in np.flatnonzero(rng.random(len(steps)) < errors.outage_probability):
        lost[start : start + int(rng.geometric(1.0 / errors.outage_mean_issues))] = True
    return steps[~lost]


class _Drift:
    """The bias and lag of successive issues: AR(1) within a storm, fresh at each new storm."""

    def __init__(self, errors: ForecastErrors, rng: np.random.Generator) -> None:
        self.errors, self.rng = errors, rng
        self.event = -2
        self.z = np.zeros(2)

    def next(self, event: int) -> tuple[float, float]:
        """(log bias, lag at the last lead in steps) of the next issue in ``event``."""
        rho = self.errors.bias_ar
        fresh = self.rng.standard_normal(2)
        self.z = fresh if event != self.event else rho * self.z + np.sqrt(1 - rho * rho) * fresh
        self.event = event
        return float(self.z[0] * self.errors.bias_log_sd), float(
            self.z[1] * self.errors.lag_sd_steps
        )


def _shifted_truth(truth: NDArray[np.float64], step: int, lag: float) -> NDArray[np.float64]:
    """(FORECAST_STEPS, gauges): the rain of the steps after ``step``, shifted by the lag."""
    shift = np.rint(lag * (0.25 + 0.75 * _LEAD_SHARE)).astype(np.int64)
    at = step + 1 + np.arange(FORECAST_STEPS) + shift
    inside = (at >= 0) & (at < len(truth))
    return np.where(inside[:, None], truth[np.clip(at, 0, len(truth) - 1)], 0.0)


def _cell(
    gauges_xy: NDArray[np.float64], centre: NDArray[np.float64], radius_km: float
) -> NDArray[np.float64]:
    """exp(-(d / radius)^2) at each gauge, for a cell centred at ``centre``."""
    d2 = ((gauges_xy - centre) ** 2).sum(axis=1)
    result: NDArray[np.float64] = np.exp(-d2 / (radius_km * radius_km))
    return result


def _one_issue(
    truth: NDArray[np.float64],
    step: int,
    drift: tuple[float, float],
    gauges_xy: NDArray[np.float64],
    errors: ForecastErrors,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """The forecast issued at the end of ``step``: (FORECAST_STEPS, gauges) mm."""
    log_bias, lag = drift
    expected = _shifted_truth(truth, step, lag)
    blur = errors.blur_at_last_lead * _LEAD_SHARE[:, None]
    expected = (1 - blur) * expected + blur * expected.mean(axis=1, keepdims=True)
    first, last = errors.noise_log_sd
    sd = (first + (last - first) * _LEAD_SHARE)[:, None]
    noise = np.exp(rng.standard_normal(expected.shape) * sd - 0.5 * sd * sd)
    forecast = expected * np.exp(log_bias) * noise
    if rng.random() < errors.miss_probability and forecast.any():
        wettest = forecast.sum(axis=0)
        centre = gauges_xy[rng.choice(len(wettest), p=wettest / wettest.sum())]
        forecast[:, _cell(gauges_xy, centre, errors.miss_radius_km) > np.exp(-1)] = 0.0
    if rng.random() < errors.false_alarm_probability:
        centre = gauges_xy[rng.integers(len(gauges_xy))] + rng.normal(0, 5.0, 2)
        peak_mm = rng.uniform(*errors.false_alarm_peak_mm_h) / 4.0  # per 15-minute step
        begin = int(rng.integers(0, FORECAST_STEPS - 4))
        length = int(rng.integers(4, 13))
        shape = _cell(gauges_xy, centre, errors.false_alarm_radius_km)
        forecast[begin : begin + length] += peak_mm * shape[None, :]
    return np.clip(np.round(forecast, 2), 0.0, MAX_FORECAST_STEP_MM)


def rain_forecasts(
    simulation: Simulation, rng: np.random.Generator, errors: ForecastErrors | None = None
) -> ForecastRecord:
    """The forecasts issued over a simulated run, from the rain that falls on each gauge area.

    Args:
        simulation: the run.
        rng: source of every forecast error and outage.
        errors: the error model; ``ForecastErrors()`` when not given.

    Returns:
        The forecasts as issued, in issue order (``features.rain_forecast.ForecastRecord``).
    """
    errors = errors or ForecastErrors()
    basin = simulation.basin
    truth = gauge_area_rainfall(
        basin, simulation.storms, simulation.n_steps, simulation.step_minutes
    )
    steps = _issued(simulation.n_steps, errors, rng)
    drift = _Drift(errors, rng)
    rain = np.empty((len(steps), FORECAST_STEPS, basin.n_gauges))
    for i, step in enumerate(steps):
        state = drift.next(int(simulation.event_id[step]))
        rain[i] = _one_issue(truth, int(step), state, basin.gauge_xy_km, errors, rng)
    return ForecastRecord(issue_step=steps, rain_mm=rain)

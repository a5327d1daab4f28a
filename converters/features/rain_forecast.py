"""Rain-to-come features from rain forecasts, computed identically in batch and one step at a time.

A forecast gives the expected rain per gauge area (the sub-area each gauge represents) for the
``FORECAST_STEPS`` steps after it is issued. A forecast issued at the end of step ``s`` holds,
at lead ``k``, the rain of step ``s + 1 + k``; at step ``t`` the latest forecast, issued
``a = t - s`` steps ago, contributes its leads from ``a`` onward. It stands for
``FORECAST_MAX_AGE_STEPS`` steps; after that, or before the first, the forecast is missing.

Values are held as whole micrometres, so that every window sum is an exact integer on either
path, and the sums are projected onto reaches with the gauge features' kernels
(``features.gauge_stats``): a reach's vector does not depend on which path computed it.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from converters.exceptions import CorruptFeatureStateError, ForecastShapeError
from converters.features.gauge_stats import to_micrometres, upstream_max, weighted_sum
from converters.features.geometry import BasinGeometry
from converters.features.spec import (
    FORECAST_COLUMNS,
    FORECAST_FEATURE_NAMES,
    FORECAST_MAX_AGE_STEPS,
    FORECAST_WINDOW_STEPS,
    RAIN_RESOLUTION_MM,
    STEPS_PER_HOUR,
)
from schemas.rain_forecast import FORECAST_STEPS, RainForecast

FORECAST_MISSING = -1.0
"""Value every forecast feature but the missing flag takes when no forecast is fresh."""

_WINDOWS = np.array(list(FORECAST_WINDOW_STEPS.values()))
_NEVER = 1 << 20
"""Age of a forecast that never came."""
_CHUNK_ROWS = 2048


@dataclass(frozen=True, eq=False)
class ForecastRecord:
    """The rain forecasts over a record, as issued (the batch path's input).

    Attributes:
        issue_step: (issues,) strictly increasing; forecast ``i`` was issued at the end of
            step ``issue_step[i]``, so its lead 0 is the step after.
        rain_mm: (issues, FORECAST_STEPS, gauges) expected rain per step and gauge area.
    """

    issue_step: NDArray[np.int64]
    rain_mm: NDArray[np.float64]

    def check(self, n_gauges: int) -> None:
        """Raise ForecastShapeError unless the record fits a basin of ``n_gauges`` gauges."""
        issues = len(self.issue_step)
        if self.rain_mm.shape != (issues, FORECAST_STEPS, n_gauges):
            raise ForecastShapeError(
                f"expected ({issues}, {FORECAST_STEPS}, {n_gauges}) forecasts, "
                f"got {self.rain_mm.shape}"
            )
        if issues and (np.any(np.diff(self.issue_step) <= 0) or self.issue_step[0] < 0):
            raise ForecastShapeError("forecast issue steps must be non-negative and increasing")


def forecast_micrometres(rain_mm: NDArray[np.float64], n_gauges: int) -> NDArray[np.int64]:
    """One forecast's (FORECAST_STEPS, gauges) values as micrometres; a missing area (NaN) takes
    the mean of the areas given for the same step.

    Raises:
        ForecastShapeError: the array is not (FORECAST_STEPS, n_gauges).
    """
    rain = np.asarray(rain_mm, dtype=np.float64)
    if rain.shape != (FORECAST_STEPS, n_gauges):
        raise ForecastShapeError(f"expected ({FORECAST_STEPS}, {n_gauges}), got {rain.shape}")
    return to_micrometres(rain)


def check_forecast_areas(forecast: RainForecast, geometry: BasinGeometry) -> None:
    """Whether ``forecast`` maps onto ``geometry``'s gauges.

    Raises:
        ForecastShapeError: the forecast is for another basin or names an unknown area.
    """
    if forecast.basin_id != geometry.basin_id:
        raise ForecastShapeError(f"forecast for {forecast.basin_id}, not {geometry.basin_id}")
    gauges = set(geometry.gauge_ids)
    for area in forecast.areas:
        if area.area_id not in gauges:
            raise ForecastShapeError(f"forecast area {area.area_id!r} is no gauge of the basin")


def forecast_rain_mm(forecast: RainForecast, geometry: BasinGeometry) -> NDArray[np.float64]:
    """A forecast message's values in ``geometry.gauge_ids`` order, (FORECAST_STEPS, gauges).

    A gauge area the message does not cover is NaN (it takes the other areas' mean).

    Raises:
        ForecastShapeError: as :func:`check_forecast_areas`.
    """
    check_forecast_areas(forecast, geometry)
    index = {gauge: g for g, gauge in enumerate(geometry.gauge_ids)}
    out = np.full((FORECAST_STEPS, geometry.n_gauges), np.nan)
    for area in forecast.areas:
        out[:, index[area.area_id]] = area.rain_mm
    return out


def _window_sums(values_um: NDArray[np.int64], age: NDArray[np.int64]) -> NDArray[np.int64]:
    """(rows, windows, gauges): each window's sum of the leads from ``age`` onward, exact.

    Args:
        values_um: (rows, FORECAST_STEPS, gauges) the forecast each row reads.
        age: (rows,) steps since that forecast was issued (at most FORECAST_MAX_AGE_STEPS).
    """
    rows, _, gauges = values_um.shape
    cumulative = np.concatenate(
        [np.zeros((rows, 1, gauges), dtype=np.int64), np.cumsum(values_um, axis=1)], axis=1
    )
    start = np.minimum(age, FORECAST_STEPS)[:, None]
    stop = np.minimum(start + _WINDOWS[None, :], FORECAST_STEPS)
    at = np.arange(rows)[:, None]
    return cumulative[at, stop] - cumulative[at, start]


def _project(
    geometry: BasinGeometry, sums_um: NDArray[np.int64], age: NDArray[np.int64]
) -> NDArray[np.float64]:
    """(rows, reaches, len(FORECAST_FEATURE_NAMES)) from per-gauge window sums and ages."""
    rows = len(age)
    out = np.empty((rows, geometry.n_reaches, len(FORECAST_FEATURE_NAMES)))
    fresh = age <= FORECAST_MAX_AGE_STEPS
    if not fresh.any():  # what the masks below give, without the projections (issue 14)
        out[..., :-1], out[..., -1] = FORECAST_MISSING, 1.0
        return out
    sums_mm = sums_um * RAIN_RESOLUTION_MM
    n = len(_WINDOWS)
    out[..., :n] = weighted_sum(geometry.upstream_weights, sums_mm)
    six_hours = _WINDOWS[-1] / STEPS_PER_HOUR
    out[..., n] = out[..., n - 1] / (geometry.bankfull_mmh[None, :] * six_hours)
    three_hours = list(FORECAST_WINDOW_STEPS).index("3h")
    out[..., n + 1] = upstream_max(geometry.upstream_gauges, sums_mm[:, [three_hours]])[..., 0]
    out[..., n + 2] = (age / STEPS_PER_HOUR)[:, None]
    out[..., : n + 3] = np.where(fresh[:, None, None], out[..., : n + 3], FORECAST_MISSING)
    out[..., n + 3] = np.where(fresh, 0.0, 1.0)[:, None]
    return out


def batch_forecast_features(
    geometry: BasinGeometry, forecasts: ForecastRecord | None, steps: int
) -> NDArray[np.float64]:
    """Forecast features for every step of a record.

    Args:
        geometry: the basin's weights.
        forecasts: the forecasts issued over the record; None when none was.
        steps: the record's length.

    Returns:
        (steps, reaches, len(FORECAST_FEATURE_NAMES)) float64.

    Raises:
        ForecastShapeError: the record does not fit the basin.
    """
    if forecasts is None or len(forecasts.issue_step) == 0:
        return _chunked_project(
            geometry,
            np.zeros((steps, len(_WINDOWS), geometry.n_gauges), dtype=np.int64),
            np.full(steps, _NEVER, dtype=np.int64),
        )
    forecasts.check(geometry.n_gauges)
    values = to_micrometres(forecasts.rain_mm)
    latest = np.searchsorted(forecasts.issue_step, np.arange(steps), side="right") - 1
    issued = latest >= 0
    age = np.where(issued, np.arange(steps) - forecasts.issue_step[np.maximum(latest, 0)], _NEVER)
    sums = np.zeros((steps, len(_WINDOWS), geometry.n_gauges), dtype=np.int64)
    fresh = np.flatnonzero(age <= FORECAST_MAX_AGE_STEPS)
    sums[fresh] = _window_sums(values[latest[fresh]], age[fresh])
    return _chunked_project(geometry, sums, age)


def _chunked_project(
    geometry: BasinGeometry, sums_um: NDArray[np.int64], age: NDArray[np.int64]
) -> NDArray[np.float64]:
    """:func:`_project` over bounded chunks of rows (the upstream max is gauges times wider)."""
    out = np.empty((len(age), geometry.n_reaches, len(FORECAST_FEATURE_NAMES)))
    for start in range(0, len(age), _CHUNK_ROWS):
        chunk = slice(start, start + _CHUNK_ROWS)
        out[chunk] = _project(geometry, sums_um[chunk], age[chunk])
    return out


_HEADER = struct.Struct("<4sHq")  # magic, gauges, age of the held forecast
_MAGIC = b"FCRF"


class IncrementalForecast:
    """A basin's latest rain forecast and its age; :meth:`advance` moves one step on."""

    def __init__(self, geometry: BasinGeometry) -> None:
        self.geometry = geometry
        self._values = np.zeros((FORECAST_STEPS, geometry.n_gauges), dtype=np.int64)
        self._age = _NEVER

    def advance(self, forecast_mm: NDArray[np.float64] | None) -> NDArray[np.float64]:
        """Age the held forecast one step, or take ``forecast_mm`` (issued at the end of this
        step: its lead 0 is the next step) in its place; (reaches, features) after it.

        Raises:
            ForecastShapeError: the forecast is not (FORECAST_STEPS, gauges).
        """
        return self.advance_steps([forecast_mm])[0]

    def advance_steps(self, steps: Sequence[NDArray[np.float64] | None]) -> NDArray[np.float64]:
        """Move several steps on, as :meth:`advance` one after the other would;
        (steps, reaches, features), projected once over all the steps.

        Raises:
            ForecastShapeError: a forecast is not (FORECAST_STEPS, gauges); the state is then
                unchanged.
        """
        gauges = self.geometry.n_gauges
        taken = [None if mm is None else forecast_micrometres(mm, gauges) for mm in steps]
        age = np.empty(len(steps), dtype=np.int64)
        fresh: list[int] = []
        held: list[NDArray[np.int64]] = []
        for t, values in enumerate(taken):
            if values is None:
                self._age = min(self._age + 1, _NEVER)
            else:
                self._values, self._age = values, 0
            age[t] = self._age
            if self._age <= FORECAST_MAX_AGE_STEPS:
                fresh.append(t)
                held.append(self._values)
        sums = np.zeros((len(steps), len(_WINDOWS), gauges), dtype=np.int64)
        if fresh:
            sums[fresh] = _window_sums(np.stack(held), age[fresh])
        return _chunked_project(self.geometry, sums, age)

    def to_bytes(self) -> bytes:
        """Serialise the state (header, the held forecast's values)."""
        header = _HEADER.pack(_MAGIC, self.geometry.n_gauges, self._age)
        return header + self._values.astype("<i8").tobytes()

    @classmethod
    def byte_size(cls, geometry: BasinGeometry) -> int:
        """Length of a serialised state for ``geometry``."""
        return _HEADER.size + 8 * FORECAST_STEPS * geometry.n_gauges

    @classmethod
    def from_bytes(cls, geometry: BasinGeometry, data: bytes) -> IncrementalForecast:
        """Restore a state written by :meth:`to_bytes`.

        Raises:
            CorruptFeatureStateError: the bytes are not a forecast state for this basin.
        """
        if len(data) != cls.byte_size(geometry):
            raise CorruptFeatureStateError(f"forecast state is {len(data)} bytes")
        magic, n, age = _HEADER.unpack_from(data)
        if magic != _MAGIC or n != geometry.n_gauges or not 0 <= age <= _NEVER:
            raise CorruptFeatureStateError(f"forecast state {magic!r} for {n} gauges does not fit")
        state = cls(geometry)
        values = np.frombuffer(data, dtype="<i8", count=FORECAST_STEPS * n, offset=_HEADER.size)
        state._values = values.reshape(FORECAST_STEPS, n).astype(np.int64)
        state._age = age
        return state


def without_forecast(features: NDArray[np.floating]) -> NDArray[np.floating]:
    """A copy of full feature vectors (..., N_FEATURES) as they are when no forecast came: what
    :func:`batch_forecast_features` gives for ``forecasts=None``.

    Training uses it to show the model storms without forecasts, and evaluation to score it
    that way (a degraded mode).
    """
    out = np.array(features, copy=True)
    block = out[..., FORECAST_COLUMNS]
    block[...] = FORECAST_MISSING
    block[..., -1] = 1.0
    return out

"""Features kept up to date one step at a time (the stream worker's path)."""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from converters.exceptions import CorruptFeatureStateError, RainfallShapeError
from converters.features.gauge_stats import (
    API_STEP_DECAY,
    gauge_stats,
    reach_features,
    to_micrometres,
)
from converters.features.geometry import BasinGeometry
from converters.features.rain_forecast import IncrementalForecast
from converters.features.river_stage import IncrementalStage
from converters.features.spec import (
    ACCUMULATION_STEPS,
    HISTORY_STEPS,
    N_FEATURES,
    PEAK_WINDOW_HOURS,
    RAIN_RESOLUTION_MM,
    STEPS_PER_HOUR,
)

_HEADER = struct.Struct("<4sHHq")  # magic, format version, gauges, steps ingested
_MAGIC = b"FCFS"
_FORMAT_VERSION = 3  # 2: the stage sensors' state follows the rain history; 3: then the forecast
_WINDOW_LENGTHS = np.array(list(ACCUMULATION_STEPS.values()))
_PEAK_AGES = np.arange(PEAK_WINDOW_HOURS * STEPS_PER_HOUR)

FeatureStep = tuple[
    NDArray[np.float64] | Sequence[float], NDArray[np.float64] | None, NDArray[np.float64] | None
]
"""One step's inputs, as :meth:`IncrementalFeatures.advance` takes them: gauge rain, stage,
forecast."""


class IncrementalFeatures:
    """A basin's rolling rainfall, river-level and forecast state; :meth:`advance` ingests a step.

    Holds the last 24 h of rain per gauge (integer micrometres), the antecedent precipitation
    index, the stage sensors' last hour (``features.river_stage``) and the latest rain forecast
    (``features.rain_forecast``), and serialises to a few kilobytes for a changelog-backed
    table.

    Args:
        geometry: the basin's weights and static attributes.
    """

    def __init__(self, geometry: BasinGeometry) -> None:
        self.geometry = geometry
        self._history = np.zeros((HISTORY_STEPS, geometry.n_gauges), dtype=np.int64)
        self._api = np.zeros(geometry.n_gauges)
        self._stage = IncrementalStage(geometry.stage)
        self._forecast = IncrementalForecast(geometry)
        self.steps_ingested = 0

    def advance(
        self,
        gauge_rain_mm: NDArray[np.float64],
        stage_m: NDArray[np.float64] | None = None,
        forecast: NDArray[np.float64] | None = None,
    ) -> NDArray[np.float64]:
        """Ingest one step of readings and return the features after it.

        Args:
            gauge_rain_mm: (gauges,) rain in mm in ``geometry.gauge_ids`` order; NaN = missing.
            stage_m: (stage sensors,) stage in m in ``geometry.stage`` order, NaN = missing;
                None when no stage reading arrived for the step.
            forecast: (FORECAST_STEPS, gauges) expected rain in mm per step and gauge area of a
                forecast issued at the end of this step (its lead 0 is the next step), as
                ``features.rain_forecast.forecast_rain_mm`` gives it; None when none was.

        Returns:
            (reaches, N_FEATURES) float64, identical to the batch path's row for this step.

        Raises:
            RainfallShapeError: the rain is not one value per gauge; the state is then
                unchanged.
            ForecastShapeError: the forecast is not (FORECAST_STEPS, gauges); the state is
                then unchanged.
        """
        return self.advance_steps([(gauge_rain_mm, stage_m, forecast)])[0]

    def advance_steps(self, steps: Sequence[FeatureStep]) -> NDArray[np.float64]:
        """Ingest several steps in order, as :meth:`advance` one after the other would.

        The recursions (rain history, API, stage hold, forecast age) run step by step; the
        projections onto reaches run once over all the steps, with kernels that do not depend
        on the number of rows (``gauge_stats.weighted_sum``), so each row is bit-identical to
        what :meth:`advance` gives for its step (issue 14: most of a step's cost was the
        per-call overhead of those projections).

        Args:
            steps: ``(gauge_rain_mm, stage_m, forecast)`` per step, oldest first, each as
                :meth:`advance` takes them.

        Returns:
            (len(steps), reaches, N_FEATURES) float64.

        Raises:
            RainfallShapeError: a step's rain is not one value per gauge; the state is then
                unchanged.
            ForecastShapeError: a forecast is not (FORECAST_STEPS, gauges); the state is then
                unchanged.
        """
        if not steps:
            return np.empty((0, self.geometry.n_reaches, N_FEATURES))
        rain_mm = [np.asarray(step[0], dtype=np.float64) for step in steps]
        gauges = self.geometry.n_gauges
        if any(row.shape != (gauges,) for row in rain_mm):  # checked before any state changes
            raise RainfallShapeError(f"expected {gauges} gauges' rain per step")
        forecast = self._forecast.advance_steps([step[2] for step in steps])  # checks first
        rain = self._advance_rain(np.array(rain_mm))
        stage = self._stage.advance_steps([step[1] for step in steps])
        return np.concatenate([rain, stage, forecast], axis=-1)

    def _advance_rain(self, gauge_rain_mm: NDArray[np.float64]) -> NDArray[np.float64]:
        """Ingest (steps, gauges) of rain; (steps, reaches, N_RAIN_FEATURES) after each."""
        steps, gauges = len(gauge_rain_mm), self.geometry.n_gauges
        rain_um = to_micrometres(gauge_rain_mm)
        # the history oldest first, then the new steps: window sums are differences of one
        # running integer total (exact, like the batch path's)
        head = self.steps_ingested % HISTORY_STEPS
        history = self._history
        timeline = np.concatenate([history[head:], history[:head], rain_um])
        totals = timeline.cumsum(axis=0)
        ends = HISTORY_STEPS + np.arange(steps)[:, None]  # each new step's row
        sums = totals[ends] - totals[ends - _WINDOW_LENGTHS]  # (steps, windows, gauges)
        peak = timeline[ends - _PEAK_AGES].max(axis=1)  # (steps, gauges)
        api = np.empty((steps, gauges))
        current = self._api
        for t, step_mm in enumerate(rain_um * RAIN_RESOLUTION_MM):
            current = api[t] = current * API_STEP_DECAY + step_mm
        kept = rain_um[-HISTORY_STEPS:]
        first = self.steps_ingested + steps - len(kept)
        self._history[(first + np.arange(len(kept))) % HISTORY_STEPS] = kept
        self.steps_ingested += steps
        self._api = current
        return reach_features(self.geometry, gauge_stats(sums, peak, api))

    def to_bytes(self) -> bytes:
        """Serialise the state (header, API, history ring, stage state, forecast state)."""
        header = _HEADER.pack(_MAGIC, _FORMAT_VERSION, self.geometry.n_gauges, self.steps_ingested)
        return (
            header
            + self._api.astype("<f8").tobytes()
            + self._history.astype("<i8").tobytes()
            + self._stage.to_bytes()
            + self._forecast.to_bytes()
        )

    @classmethod
    def from_bytes(cls, geometry: BasinGeometry, data: bytes) -> IncrementalFeatures:
        """Restore a state written by :meth:`to_bytes` of this format version.

        Raises:
            CorruptFeatureStateError: the bytes are not a state for this basin's gauges, or
                were written by another format version (an older worker's state is refused,
                not misread: the basin then starts afresh).
        """
        if len(data) < _HEADER.size:
            raise CorruptFeatureStateError(f"state is {len(data)} bytes, shorter than its header")
        n = geometry.n_gauges
        magic, version, gauges, steps = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != _FORMAT_VERSION or gauges != n or steps < 0:
            raise CorruptFeatureStateError(
                f"state header {magic!r} v{version} for {gauges} gauges does not fit "
                f"v{_FORMAT_VERSION} for {n} gauges"
            )
        rain_bytes = _HEADER.size + 8 * n + 8 * HISTORY_STEPS * n
        stage_bytes = rain_bytes + len(IncrementalStage(geometry.stage).to_bytes())
        expected = stage_bytes + IncrementalForecast.byte_size(geometry)
        if len(data) != expected:
            raise CorruptFeatureStateError(f"state is {len(data)} bytes, expected {expected}")
        state = cls(geometry)
        offset = _HEADER.size
        state._api = np.frombuffer(data, dtype="<f8", count=n, offset=offset).astype(np.float64)
        offset += 8 * n
        history = np.frombuffer(data, dtype="<i8", count=HISTORY_STEPS * n, offset=offset)
        state._history = history.reshape(HISTORY_STEPS, n).astype(np.int64)
        state._stage = IncrementalStage.from_bytes(geometry.stage, data[rain_bytes:stage_bytes])
        state._forecast = IncrementalForecast.from_bytes(geometry, data[stage_bytes:])
        state.steps_ingested = steps
        return state

"""Features kept up to date one step at a time (the stream worker's path)."""

from __future__ import annotations

import struct

import numpy as np
from numpy.typing import NDArray

from converters.exceptions import CorruptFeatureStateError
from converters.features.gauge_stats import (
    API_STEP_DECAY,
    gauge_stats,
    reach_features,
    to_micrometres,
)
from converters.features.geometry import BasinGeometry
from converters.features.spec import (
    ACCUMULATION_STEPS,
    HISTORY_STEPS,
    PEAK_WINDOW_HOURS,
    RAIN_RESOLUTION_MM,
    STEPS_PER_HOUR,
)

_HEADER = struct.Struct("<4sHHq")  # magic, format version, gauges, steps ingested
_MAGIC = b"FCFS"
_FORMAT_VERSION = 1
_AGES = np.arange(HISTORY_STEPS)
_WINDOW_ENDS = np.array(list(ACCUMULATION_STEPS.values())) - 1


class IncrementalFeatures:
    """A basin's rolling rainfall history; each :meth:`advance` ingests one 15-minute step.

    Holds the last 24 h of rain per gauge (integer micrometres) and the antecedent
    precipitation index, and serialises to a few kilobytes for a changelog-backed table.

    Args:
        geometry: the basin's weights and static attributes.
    """

    def __init__(self, geometry: BasinGeometry) -> None:
        self.geometry = geometry
        self._history = np.zeros((HISTORY_STEPS, geometry.n_gauges), dtype=np.int64)
        self._api = np.zeros(geometry.n_gauges)
        self.steps_ingested = 0

    def advance(self, gauge_rain_mm: NDArray[np.float64]) -> NDArray[np.float64]:
        """Ingest one step of rain and return the features after it.

        Args:
            gauge_rain_mm: (gauges,) rain in mm in ``geometry.gauge_ids`` order; NaN = missing.

        Returns:
            (reaches, N_FEATURES) float64, identical to the batch path's row for this step.
        """
        rain_um = to_micrometres(np.asarray(gauge_rain_mm, dtype=np.float64)[None, :])[0]
        self._history[self.steps_ingested % HISTORY_STEPS] = rain_um
        self.steps_ingested += 1
        self._api = self._api * API_STEP_DECAY + rain_um * RAIN_RESOLUTION_MM
        return reach_features(self.geometry, self._stats()[None])[0]

    def _stats(self) -> NDArray[np.float64]:
        head = self.steps_ingested % HISTORY_STEPS
        newest_first = self._history[(head - 1 - _AGES) % HISTORY_STEPS]
        totals = np.cumsum(newest_first, axis=0)  # integers: exact, like the batch path
        sums = totals[_WINDOW_ENDS]
        peak = newest_first[: PEAK_WINDOW_HOURS * STEPS_PER_HOUR].max(axis=0)
        return gauge_stats(sums, peak, self._api)

    def to_bytes(self) -> bytes:
        """Serialise the state (header, API, history ring)."""
        header = _HEADER.pack(_MAGIC, _FORMAT_VERSION, self.geometry.n_gauges, self.steps_ingested)
        return header + self._api.astype("<f8").tobytes() + self._history.astype("<i8").tobytes()

    @classmethod
    def from_bytes(cls, geometry: BasinGeometry, data: bytes) -> IncrementalFeatures:
        """Restore a state written by :meth:`to_bytes`.

        Raises:
            CorruptFeatureStateError: the bytes are not a state for this basin's gauges.
        """
        n = geometry.n_gauges
        expected = _HEADER.size + 8 * n + 8 * HISTORY_STEPS * n
        if len(data) != expected:
            raise CorruptFeatureStateError(f"state is {len(data)} bytes, expected {expected}")
        magic, version, gauges, steps = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != _FORMAT_VERSION or gauges != n or steps < 0:
            raise CorruptFeatureStateError(
                f"state header {magic!r} v{version} for {gauges} gauges does not fit {n} gauges"
            )
        state = cls(geometry)
        offset = _HEADER.size
        state._api = np.frombuffer(data, dtype="<f8", count=n, offset=offset).astype(np.float64)
        offset += 8 * n
        history = np.frombuffer(data, dtype="<i8", count=HISTORY_STEPS * n, offset=offset)
        state._history = history.reshape(HISTORY_STEPS, n).astype(np.int64)
        state.steps_ingested = steps
        return state

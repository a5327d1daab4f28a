"""A basin's rain forecasts as messages: one ``RainForecast`` per issue, keyed by the basin id."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

import numpy as np

from floodcast.catchment import Simulation
from floodcast.catchment.rain_forecasts import rain_forecasts
from floodcast.emulator.publisher import KeyValue
from schemas.rain_forecast import AreaForecast, RainForecast

_SEED_TAG = 0x666F7265  # "fore": keeps the forecasts' draws apart from the gauges'


class ForecastEmitter:
    """The forecasts issued over one simulated basin, ready to send at their steps.

    The forecasts are the simulator's degraded ones (``catchment.rain_forecasts``): hourly,
    with persistent bias, timing and position errors, missed cells, false alarms and outages;
    the same as training sees. Draws come from the seed and the basin id only.

    Args:
        simulation: the basin's run.
        seed: the emulator's seed.
    """

    def __init__(self, simulation: Simulation, seed: int) -> None:
        basin = simulation.basin
        self.basin_id = basin.basin_id
        self.key = basin.basin_id.encode()
        rng = np.random.default_rng([seed, _SEED_TAG, zlib.crc32(basin.basin_id.encode())])
        self.record = rain_forecasts(simulation, rng)
        """The forecasts as issued (``features.rain_forecast.ForecastRecord``)."""
        self._gauge_ids = basin.gauge_ids
        self._by_step = dict(zip(self.record.issue_step.tolist(), self.record.rain_mm, strict=True))

    def message(self, step: int, issued_at: datetime) -> RainForecast | None:
        """The forecast issued at the end of ``step`` (its first step starts at ``issued_at``),
        or None when none was issued then."""
        rain = self._by_step.get(step)
        if rain is None:
            return None
        identity = f"{self.basin_id}|{issued_at.isoformat()}"
        return RainForecast(
            forecast_id=hashlib.sha256(identity.encode()).hexdigest()[:32],
            basin_id=self.basin_id,
            issued_at=issued_at,
            areas=tuple(
                AreaForecast(area_id=gauge, rain_mm=tuple(rain[:, g].tolist()))
                for g, gauge in enumerate(self._gauge_ids)
            ),
        )

    def emit(self, step: int, issued_at: datetime, out: list[KeyValue]) -> int:
        """Append the forecast issued at the end of ``step``, if any, to ``out``.

        Returns:
            The number of messages appended (0 or 1).
        """
        forecast = self.message(step, issued_at)
        if forecast is None:
            return 0
        out.append((self.key, forecast.model_dump_json().encode()))
        return 1

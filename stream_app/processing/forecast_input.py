"""Rain forecasts in the batch processor: decode, check, dedupe, hold and account.

The third input topic (``Settings.topic_rain_forecasts``) carries ``RainForecast`` JSON keyed
by basin id, co-partitioned with the readings. A forecast is checked like a reading (schema,
clock skew on ``issued_at``, a basin the model serves, areas that are its gauges, the key) and
dead-lettered with the reason otherwise. The basin holds its latest forecast
(``BasinState.accept_forecast``): the same forecast id again, or one issued no later than the
held one, is deduplicated; an accepted one is counted pending on its own topic's partition
until the slot it joins the features at is final, and scored with it.

A forecast joins the features at the slot ending at or after its ``issued_at``, which the
features take as issued at that slot's end (lead 0 is the next slot), as the batch path aligns
a forecast issued at the end of a step; so stream and batch features agree bit for bit. One
arriving after that slot is final is still useful and joins the next slot to finalise, the
leads already past dropped; one that would count as missing by then (older than
``FORECAST_MAX_AGE_STEPS``) is dead-lettered as too late.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from converters.exceptions import ForecastShapeError
from converters.features import BasinGeometry
from converters.features.rain_forecast import check_forecast_areas, forecast_rain_mm
from schemas import (
    TooLateError,
    UnknownBasinIdError,
    UnknownGaugeIdError,
)
from schemas.decode import decode_rain_forecast
from schemas.rain_forecast import RainForecast
from stream_app.processing.batch_records import SourceRecord
from stream_app.processing.side_input import SideInput, beyond_clock_skew
from stream_app.state import AcceptVerdict, BasinState, FinalisedSlot

__all__ = ["ForecastInput"]


class ForecastInput(SideInput[RainForecast]):
    """Checks rain-forecast messages against the basins a model serves, and applies them.

    Args:
        topic: the rain-forecasts topic.
        geometries: the model's basins.
        max_bytes: largest forecast message accepted (forecasts are bigger than readings).
    """

    def __init__(self, topic: str, geometries: Mapping[str, BasinGeometry], max_bytes: int) -> None:
        super().__init__(topic, geometries)
        self._geometries = dict(geometries)
        self._max_bytes = max_bytes

    def decode(self, record: SourceRecord, max_bytes: int) -> RainForecast:
        """The message's forecast (``max_bytes``, the readings' limit, gives way to the
        forecasts' own).

        Raises:
            ReadingDecodeError: the bytes are not a valid ``RainForecast``.
        """
        return decode_rain_forecast(record.value, max_bytes=self._max_bytes)

    def check(
        self, record: SourceRecord, message: RainForecast, latest_end: float
    ) -> tuple[str, int]:
        """The basin of a decoded forecast (its source index is 0: one forecast per basin).
        Its areas must be gauges of the basin; one not listed takes the others' mean.

        Raises:
            RejectedReadingError: the forecast belongs on the dead-letter topic.
        """
        forecast = message
        if forecast.issued_at.timestamp() > latest_end:
            raise beyond_clock_skew(forecast.issued_at, "issued_at")
        basin_id = forecast.basin_id
        geometry = self._geometries.get(basin_id)
        if geometry is None:
            raise UnknownBasinIdError(f"basin {basin_id!r} is not served by the deployed model")
        self.require_basin_key(record, basin_id)
        try:
            check_forecast_areas(forecast, geometry)
        except ForecastShapeError as exc:
            raise UnknownGaugeIdError(str(exc)) from exc
        return basin_id, 0

    def apply(self, state: BasinState, source: int, message: RainForecast) -> AcceptVerdict:
        """Offer the (checked) forecast to its basin's state."""
        forecast = message
        rain_mm = forecast_rain_mm(forecast, state.geometry)
        at = round(forecast.issued_at.timestamp())
        return state.accept_forecast(forecast.forecast_id, at, rain_mm)

    def too_late(self, message: RainForecast, state: BasinState) -> TooLateError:
        """The rejection of a forecast that would count as missing by the next slot."""
        forecast = message
        final_until = datetime.fromtimestamp(state.next_slot or 0, UTC).isoformat()
        return TooLateError(
            f"forecast issued at {forecast.issued_at.isoformat()} is stale by the next slot"
            f" (basin {forecast.basin_id} is final until {final_until})"
        )

    @staticmethod
    def scored_in(slot: FinalisedSlot) -> int:
        """The forecasts the slot took in."""
        return slot.forecasts

"""``POST /v1/predict``: a window of readings through the stream's own batch processor."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from floodcast.api.exceptions import InvalidRequestError, UnknownBasinError
from floodcast.api.resources import MAX_WINDOW_HOURS, PredictRequest
from schemas import MAX_FIELD_ERRORS, FieldError, FloodPathPrediction
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = ["WindowPredictor"]

_SOURCE_TOPIC = "api.v1.predict"
"""Topic name the records of a request carry (the processor only echoes it into dead letters)."""


def _no_state(_key: str) -> bytes | None:
    """A request starts from an empty basin state and empty accounting."""
    return None


class WindowPredictor:
    """Predict a basin's flood path after a window of readings, exactly as the stream would.

    The readings go through :class:`~stream_app.processing.BatchProcessor` as one micro-batch
    from an empty state: the same decoding, deduplication, slotting, features, scoring and
    message building as the worker. Two knobs differ, because the whole window is at hand:
    no lateness (every slot up to the last reading is final at once) and a prediction after
    every slot (cadence 0), of which the last one is answered.

    Args:
        scorer: the deployed model.
        config: the stream's processor settings.
        clock: wall-clock time for ``issued_at``.
    """

    def __init__(
        self,
        scorer: FloodPathScorer,
        config: ProcessorConfig,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        window_config = dataclasses.replace(config, lateness_seconds=0, cadence_seconds=0)
        self._processor = BatchProcessor(scorer, window_config, clock)
        self._gauges = {
            basin_id: frozenset(geometry.gauge_ids)
            for basin_id, geometry in scorer.geometries.items()
        }

    def predict(self, request: PredictRequest) -> FloodPathPrediction:
        """The basin's flood path after the last 15-minute slot the readings complete.

        Raises:
            UnknownBasinError: the model does not serve the basin.
            InvalidRequestError: a reading is of another basin or an unknown gauge, the window
                is too long, or the readings complete no slot.
        """
        gauges = self._gauges.get(request.basin_id)
        if gauges is None:
            raise UnknownBasinError(f"basin {request.basin_id!r} is not served by the model")
        self._check_readings(request, gauges)
        key = request.basin_id.encode()
        records = [
            SourceRecord(_SOURCE_TOPIC, 0, offset, key, reading.model_dump_json().encode())
            for offset, reading in enumerate(request.readings)
        ]
        result = self._processor.process(records, _no_state, _no_state)
        if result.dead_letters:
            errors = [
                FieldError.clipped(f"body.readings.{letter.offset}", letter.detail, letter.reason)
                for _, letter in result.dead_letters[:MAX_FIELD_ERRORS]
            ]
            raise InvalidRequestError(
                f"{len(result.dead_letters)} reading(s) refused by the stream's checks", errors
            )
        if not result.predictions:
            raise InvalidRequestError(
                "the readings complete no 15-minute slot: the last one must end on a slot "
                "boundary, or every gauge must cover the last slot"
            )
        return result.predictions[-1]

    @staticmethod
    def _check_readings(request: PredictRequest, gauges: frozenset[str]) -> None:
        """Refuse readings of other basins or unknown gauges, and overlong windows."""
        errors: list[FieldError] = []
        for i, reading in enumerate(request.readings):
            if reading.basin_id != request.basin_id:
                errors.append(
                    FieldError(
                        loc=f"body.readings.{i}.basin_id",
                        msg=f"reading of basin {reading.basin_id!r}, not {request.basin_id!r}",
                        type="basin_mismatch",
                    )
                )
            elif reading.gauge_id not in gauges:
                errors.append(
                    FieldError(
                        loc=f"body.readings.{i}.gauge_id",
                        msg=f"gauge {reading.gauge_id!r} is not in basin {request.basin_id!r}",
                        type="unknown_gauge",
                    )
                )
        if errors:
            raise InvalidRequestError(
                f"{len(errors)} reading(s) do not fit the basin", errors[:MAX_FIELD_ERRORS]
            )
        start = min(reading.interval_start for reading in request.readings)
        end = max(reading.observed_at for reading in request.readings)
        if end - start > timedelta(hours=MAX_WINDOW_HOURS):
            raise InvalidRequestError(
                f"the readings span {end - start}; at most {MAX_WINDOW_HOURS} h are accepted",
                [FieldError(loc="body.readings", msg="window too long", type="window_too_long")],
            )

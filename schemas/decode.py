"""Raw Kafka bytes to a ``GaugeReading``, ``RiverLevelReading`` or ``RainForecast``, or a typed
rejection naming its dead-letter reason."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from schemas._base import MAX_FIELD_ERRORS, TIME_WINDOW_ERROR, FieldError
from schemas.exceptions import (
    InvalidJsonError,
    NotUtf8Error,
    OutOfBoundsError,
    OversizeMessageError,
    ReadingDecodeError,
    SchemaViolationError,
)
from schemas.gauge_reading import RAINFALL_RATE_ERROR, GaugeReading
from schemas.rain_forecast import RainForecast
from schemas.river_level import RiverLevelReading

_MEASUREMENTS = frozenset({"rainfall_mm", "battery_v", "stage_m", "rain_mm"})
"""Measured (or forecast) fields, by name; a forecast's steps sit at ``areas.<i>.rain_mm.<k>``."""
_BOUND_ERRORS = frozenset(
    {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number"}
)


def decode_reading(raw: bytes, *, max_bytes: int) -> GaugeReading:
    """Validate one Kafka message value as a ``GaugeReading``.

    Args:
        raw: The message value exactly as consumed.
        max_bytes: Largest accepted message; bigger ones are refused before parsing.

    Returns:
        The validated, immutable reading.

    Raises:
        OversizeMessageError: ``raw`` is longer than ``max_bytes``.
        NotUtf8Error: ``raw`` is not valid UTF-8.
        InvalidJsonError: ``raw`` is UTF-8 but not well-formed JSON.
        OutOfBoundsError: Every problem is a measurement outside its physical bounds
            (including NaN/infinity and the rainfall-rate limit) or a time outside the
            schema's window.
        SchemaViolationError: Any other mismatch with the schema.
    """
    return _decode(GaugeReading, raw, max_bytes)


def decode_river_level(raw: bytes, *, max_bytes: int) -> RiverLevelReading:
    """Validate one Kafka message value as a ``RiverLevelReading``.

    Args:
        raw: The message value exactly as consumed.
        max_bytes: Largest accepted message; bigger ones are refused before parsing.

    Returns:
        The validated, immutable reading.

    Raises:
        ReadingDecodeError: as :func:`decode_reading` (a stage outside ``[0, MAX_STAGE_M]``, or
            NaN, is out of bounds).
    """
    return _decode(RiverLevelReading, raw, max_bytes)


def decode_rain_forecast(raw: bytes, *, max_bytes: int) -> RainForecast:
    """Validate one Kafka message value as a ``RainForecast``.

    Raises:
        ReadingDecodeError: as :func:`decode_reading`.
    """
    return _decode(RainForecast, raw, max_bytes)


_Message = TypeVar("_Message", bound=BaseModel)


def _decode(model: type[_Message], raw: bytes, max_bytes: int) -> _Message:
    if len(raw) > max_bytes:
        raise OversizeMessageError(f"{len(raw)}-byte message exceeds the {max_bytes}-byte limit")
    try:
        # the model's validator itself: model_validate_json only wraps it (issue 14)
        return model.__pydantic_validator__.validate_json(raw)
    except ValidationError as exc:
        raise rejection_from(exc, raw) from exc


def rejection_from(exc: ValidationError, raw: bytes) -> ReadingDecodeError:
    """Pick the most specific rejection for a failed validation of ``raw``."""
    field_errors = FieldError.from_validation_error(exc, limit=MAX_FIELD_ERRORS)
    detail = _detail(field_errors, exc.error_count())
    types = {err.type for err in field_errors}
    if "json_invalid" in types:
        # The JSON parser reports bad UTF-8 as invalid JSON; tell the two apart only here,
        # off the hot path.
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as utf8_exc:
            return NotUtf8Error(f"not UTF-8: {utf8_exc.reason} at byte {utf8_exc.start}")
        return InvalidJsonError(detail, field_errors)
    if all(map(_is_bound_error, field_errors)):
        return OutOfBoundsError(detail, field_errors)
    return SchemaViolationError(detail, field_errors)


def _is_bound_error(err: FieldError) -> bool:
    """Whether ``err`` is a measurement outside its physical range rather than a wrong shape."""
    if err.type in (RAINFALL_RATE_ERROR, TIME_WINDOW_ERROR):
        return True
    named = [part for part in err.loc.split(".") if not part.isdigit()]
    return err.type in _BOUND_ERRORS and bool(named) and named[-1] in _MEASUREMENTS


def _detail(field_errors: tuple[FieldError, ...], total: int) -> str:
    """One line naming each problem, with a count of any left out."""
    parts = [f"{err.loc}: {err.msg}" if err.loc else err.msg for err in field_errors]
    if total > len(field_errors):
        parts.append(f"... and {total - len(field_errors)} more")
    return "; ".join(parts)

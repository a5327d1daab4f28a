"""GaugeReading: strict, closed, immutable, with physical and rate bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from schemas import MAX_RAINFALL_RATE_MM_PER_H, RAINFALL_RATE_ERROR, GaugeReading
from tests.unit.schemas.payloads import reading_bytes, reading_dict


def _error_types(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [err["type"] for err in exc.value.errors()]


def test_json_round_trip_is_lossless() -> None:
    """A reading dumped to JSON validates back into an equal reading."""
    reading = GaugeReading.model_validate_json(reading_bytes(battery_v=12.6, quality="suspect"))
    assert GaugeReading.model_validate_json(reading.model_dump_json()) == reading
    assert reading.observed_at == datetime(2026, 11, 25, 12, 15, tzinfo=UTC)
    assert reading.battery_v == 12.6
    assert reading.quality == "suspect"


def test_defaults_fill_optional_fields() -> None:
    """Omitted optional fields take their documented defaults."""
    raw = reading_dict()
    for name in ("schema_version", "interval_minutes", "quality"):
        del raw[name]
    reading = GaugeReading.model_validate(
        {**raw, "observed_at": datetime(2026, 11, 25, 12, 15, tzinfo=UTC)}
    )
    assert (reading.schema_version, reading.interval_minutes, reading.quality) == (1, 15, "good")
    assert reading.battery_v is None


def test_json_mode_accepts_iso_datetimes_with_offsets() -> None:
    """In JSON, strict mode still accepts ISO-8601 strings and keeps their offset."""
    reading = GaugeReading.model_validate_json(
        reading_bytes(observed_at="2026-11-25T13:15:00+01:00")
    )
    assert reading.observed_at == datetime(2026, 11, 25, 12, 15, tzinfo=UTC)
    assert reading.observed_at.utcoffset() == timedelta(hours=1)


def test_python_mode_rejects_datetime_strings() -> None:
    """Strict Python-mode validation wants a datetime object, not a string."""
    with pytest.raises(ValidationError) as exc:
        GaugeReading.model_validate(reading_dict())
    assert _error_types(exc) == ["datetime_type"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"sequence": "7"}, "int_type"),
        ({"sequence": 7.0}, "int_type"),
        ({"sequence": True}, "int_type"),
        ({"rainfall_mm": "2.4"}, "float_type"),
        ({"observed_at": 1764072900}, "datetime_type"),
        ({"observed_at": "2026-11-25T12:15:00"}, "timezone_aware"),
        ({"gauge_id": "G 42"}, "string_pattern_mismatch"),
        ({"basin_id": "b" * 65}, "string_pattern_mismatch"),
        ({"quality": "bad"}, "literal_error"),
        ({"schema_version": 2}, "literal_error"),
        ({"interval_minutes": 0}, "greater_than_equal"),
        ({"interval_minutes": 61}, "less_than_equal"),
        ({"unexpected": 1}, "extra_forbidden"),
    ],
)
def test_json_rejects_coercions_and_malformed_fields(overrides: dict, expected: str) -> None:
    """Each malformed field is rejected with its specific error type, never coerced."""
    with pytest.raises(ValidationError) as exc:
        GaugeReading.model_validate_json(reading_bytes(**overrides))
    assert _error_types(exc) == [expected]


def test_integral_rainfall_is_accepted_as_float() -> None:
    """A JSON integer is a valid number for a float field even in strict mode."""
    reading = GaugeReading.model_validate_json(reading_bytes(rainfall_mm=3))
    assert isinstance(reading.rainfall_mm, float)
    assert reading.rainfall_mm == 3.0


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_non_finite_rainfall_is_rejected(literal: bytes) -> None:
    """NaN and infinities, which the JSON parser accepts, fail the finite-number check."""
    raw = reading_bytes(rainfall_mm=2.4).replace(b"2.4", literal)
    with pytest.raises(ValidationError) as exc:
        GaugeReading.model_validate_json(raw)
    assert _error_types(exc) == ["finite_number"]


def test_rate_limit_is_inclusive_at_the_limit() -> None:
    """Exactly the maximum rate passes; anything above it fails with the rate error."""
    limit_mm = MAX_RAINFALL_RATE_MM_PER_H * 5 / 60
    GaugeReading.model_validate_json(reading_bytes(interval_minutes=5, rainfall_mm=limit_mm))
    with pytest.raises(ValidationError) as exc:
        GaugeReading.model_validate_json(
            reading_bytes(interval_minutes=5, rainfall_mm=limit_mm + 0.1)
        )
    assert _error_types(exc) == [RAINFALL_RATE_ERROR]


def test_instances_are_frozen() -> None:
    """Readings are immutable once validated."""
    reading = GaugeReading.model_validate_json(reading_bytes())
    with pytest.raises(ValidationError):
        reading.rainfall_mm = 5.0  # type: ignore[misc]


def test_interval_helpers() -> None:
    """The interval start and intensity follow from the end time, length and total."""
    reading = GaugeReading.model_validate_json(reading_bytes(interval_minutes=15, rainfall_mm=3.0))
    assert reading.interval_start == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert reading.intensity_mm_per_h == 12.0

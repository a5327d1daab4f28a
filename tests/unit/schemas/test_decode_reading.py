"""decode_reading maps every kind of bad message to the right dead-letter reason."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from schemas import (
    MAX_FIELD_ERRORS,
    DeadLetterReason,
    GaugeReading,
    InvalidJsonError,
    NotUtf8Error,
    OutOfBoundsError,
    OversizeMessageError,
    ReadingDecodeError,
    SchemaViolationError,
    decode_reading,
)
from tests.unit.schemas.payloads import reading_bytes, reading_dict

MAX_BYTES = 4096


def _reason(raw: bytes, max_bytes: int = MAX_BYTES) -> DeadLetterReason:
    with pytest.raises(ReadingDecodeError) as exc:
        decode_reading(raw, max_bytes=max_bytes)
    return exc.value.reason


def test_valid_reading_decodes() -> None:
    """A well-formed reading decodes to the same values it was built from."""
    reading = decode_reading(reading_bytes(battery_v=12.6), max_bytes=MAX_BYTES)
    assert isinstance(reading, GaugeReading)
    assert (reading.gauge_id, reading.sequence, reading.rainfall_mm) == ("G-0042", 184467, 2.4)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", DeadLetterReason.INVALID_JSON),
        (b'{"gauge_id":', DeadLetterReason.INVALID_JSON),
        (reading_bytes() + b"}", DeadLetterReason.INVALID_JSON),
        (b"\xff\xfe{}", DeadLetterReason.NOT_UTF8),
        (reading_bytes(gauge_id="G-0042").replace(b"G-0042", b"G-\xe9"), DeadLetterReason.NOT_UTF8),
        (b"[]", DeadLetterReason.SCHEMA_VIOLATION),
        (b'"reading"', DeadLetterReason.SCHEMA_VIOLATION),
        (reading_bytes(sequence="1"), DeadLetterReason.SCHEMA_VIOLATION),
        (reading_bytes(rainfall_mm="NaN"), DeadLetterReason.SCHEMA_VIOLATION),
        (reading_bytes(observed_at="2026-11-25T12:15:00"), DeadLetterReason.SCHEMA_VIOLATION),
        (reading_bytes(extra_field=1), DeadLetterReason.SCHEMA_VIOLATION),
        (reading_bytes(sequence=-1), DeadLetterReason.SCHEMA_VIOLATION),
        (reading_bytes(interval_minutes=90), DeadLetterReason.SCHEMA_VIOLATION),
        (reading_bytes(rainfall_mm=-0.1), DeadLetterReason.OUT_OF_BOUNDS),
        (reading_bytes(rainfall_mm=150.5), DeadLetterReason.OUT_OF_BOUNDS),
        (reading_bytes(rainfall_mm=2.4).replace(b"2.4", b"NaN"), DeadLetterReason.OUT_OF_BOUNDS),
        (reading_bytes(interval_minutes=1, rainfall_mm=6.0), DeadLetterReason.OUT_OF_BOUNDS),
        (reading_bytes(battery_v=31.0), DeadLetterReason.OUT_OF_BOUNDS),
        (reading_bytes(rainfall_mm=200.0, battery_v=-1.0), DeadLetterReason.OUT_OF_BOUNDS),
        (reading_bytes(rainfall_mm=200.0, sequence="1"), DeadLetterReason.SCHEMA_VIOLATION),
    ],
    ids=[
        "empty",
        "truncated",
        "trailing-characters",
        "bad-utf8-outside-json",
        "bad-utf8-inside-string",
        "array",
        "string",
        "string-for-int",
        "nan-string",
        "naive-datetime",
        "extra-field",
        "negative-sequence",
        "interval-too-long",
        "negative-rainfall",
        "rainfall-over-max",
        "nan-literal",
        "rate-over-max",
        "battery-over-max",
        "two-bound-errors",
        "bound-and-type-errors",
    ],
)
def test_reason_of_each_invalid_class(raw: bytes, reason: DeadLetterReason) -> None:
    """Each class of bad message is rejected with its own dead-letter reason."""
    assert _reason(raw) == reason


def test_oversize_is_refused_before_parsing() -> None:
    """A message over the limit is oversize even when it is otherwise valid."""
    raw = reading_bytes()
    assert decode_reading(raw, max_bytes=len(raw)).sequence == 184467
    with pytest.raises(OversizeMessageError) as exc:
        decode_reading(raw, max_bytes=len(raw) - 1)
    assert str(len(raw)) in exc.value.detail
    assert exc.value.__cause__ is None


def test_rejection_keeps_the_validation_error_as_cause() -> None:
    """Translated errors chain pydantic's ValidationError as their cause."""
    with pytest.raises(SchemaViolationError) as exc:
        decode_reading(reading_bytes(extra_field=1), max_bytes=MAX_BYTES)
    assert isinstance(exc.value.__cause__, ValidationError)


def test_field_errors_and_detail_name_the_offending_fields() -> None:
    """Field errors carry pydantic's location, message and type; the detail names each one."""
    with pytest.raises(OutOfBoundsError) as exc:
        decode_reading(reading_bytes(rainfall_mm=200.0, battery_v=-1.0), max_bytes=MAX_BYTES)
    errors = {(err.loc, err.type) for err in exc.value.field_errors}
    assert errors == {("rainfall_mm", "less_than_equal"), ("battery_v", "greater_than_equal")}
    assert "rainfall_mm: " in exc.value.detail
    assert "battery_v: " in exc.value.detail


def test_invalid_json_reports_the_parser_position() -> None:
    """Invalid JSON carries the parser's message as a whole-message field error."""
    with pytest.raises(InvalidJsonError) as exc:
        decode_reading(b'{"gauge_id":', max_bytes=MAX_BYTES)
    (error,) = exc.value.field_errors
    assert (error.loc, error.type) == ("", "json_invalid")
    assert "column 12" in error.msg


def test_not_utf8_names_the_bad_byte() -> None:
    """A non-UTF-8 message says where the first bad byte is."""
    with pytest.raises(NotUtf8Error) as exc:
        decode_reading(b'{"gauge_id":"\xff"}', max_bytes=MAX_BYTES)
    assert "byte 13" in exc.value.detail


def test_field_errors_are_capped() -> None:
    """A message with many problems keeps only the first errors and counts the rest."""
    raw = json.dumps({**reading_dict(), **{f"x{i}": i for i in range(50)}}).encode()
    with pytest.raises(SchemaViolationError) as exc:
        decode_reading(raw, max_bytes=MAX_BYTES)
    assert len(exc.value.field_errors) == MAX_FIELD_ERRORS
    assert exc.value.detail.endswith(f"... and {50 - MAX_FIELD_ERRORS} more")

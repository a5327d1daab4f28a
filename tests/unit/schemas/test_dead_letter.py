"""DeadLetter keeps the exact original bytes through JSON and records why they were rejected."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from schemas import (
    DeadLetter,
    DeadLetterReason,
    FieldError,
    RejectedReadingError,
    decode_reading,
)
from tests.unit.schemas.payloads import reading_bytes

AT = datetime(2026, 11, 25, 12, 16, tzinfo=UTC)
EVERY_BYTE = bytes(range(256))


def _dead_letter(**overrides: object) -> DeadLetter:
    fields: dict[str, object] = {
        "topic": "gauge-readings",
        "partition": 3,
        "offset": 1234,
        "key": b"G-0042",
        "value": b"{}",
        "reason": DeadLetterReason.SCHEMA_VIOLATION,
        "detail": "gauge_id: Field required",
        "dead_lettered_at": AT,
    }
    fields.update(overrides)
    return DeadLetter(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [b"", b"\xff\xfe\x00not utf-8\x80", EVERY_BYTE, reading_bytes()], ids=repr
)
def test_value_and_key_bytes_round_trip_exactly(value: bytes) -> None:
    """Any bytes, including non-UTF-8 ones, survive a JSON round trip unchanged."""
    letter = _dead_letter(key=value[::-1], value=value)
    back = DeadLetter.model_validate_json(letter.model_dump_json())
    assert back.value == value
    assert back.key == value[::-1]
    assert back == letter


def test_bytes_travel_as_url_safe_base64() -> None:
    """On the wire, key and value are URL-safe base64 strings."""
    wire = json.loads(_dead_letter(key=None, value=EVERY_BYTE).model_dump_json())
    assert wire["value"] == base64.urlsafe_b64encode(EVERY_BYTE).decode()
    assert wire["key"] is None
    assert wire["reason"] == "schema_violation"


def test_standard_base64_is_accepted_too() -> None:
    """Producers using standard base64 (``+`` and ``/``) are decoded to the same bytes."""
    wire = json.loads(_dead_letter(value=EVERY_BYTE).model_dump_json())
    wire["value"] = base64.b64encode(EVERY_BYTE).decode()
    assert "+" in wire["value"] and "/" in wire["value"]
    assert DeadLetter.model_validate_json(json.dumps(wire)).value == EVERY_BYTE


@pytest.mark.parametrize(
    "raw", [reading_bytes(sequence="1"), b'{"gauge_id":"\xc3\x28"}'], ids=["schema", "not-utf8"]
)
def test_from_rejection_copies_reason_detail_and_errors(raw: bytes) -> None:
    """A dead letter built from a rejection carries its reason, detail, errors and the raw bytes."""
    with pytest.raises(RejectedReadingError) as exc:
        decode_reading(raw, max_bytes=4096)
    letter = DeadLetter.from_rejection(
        exc.value, topic="gauge-readings", partition=0, offset=9, key=None, value=raw, at=AT
    )
    assert letter.reason == exc.value.reason
    assert letter.detail == exc.value.detail
    assert letter.field_errors == exc.value.field_errors
    assert DeadLetter.model_validate_json(letter.model_dump_json()).value == raw


def test_field_errors_round_trip() -> None:
    """Field errors survive JSON unchanged."""
    errors = (FieldError(loc="rainfall_mm", msg="too big", type="less_than_equal"),)
    letter = _dead_letter(field_errors=errors)
    assert DeadLetter.model_validate_json(letter.model_dump_json()).field_errors == errors


@pytest.mark.parametrize(
    "overrides",
    [
        {"reason": "no_such_reason"},
        {"partition": -1},
        {"topic": "bad topic"},
        {"dead_lettered_at": "2026-11-25T12:16:00"},
        {"value": None},
    ],
    ids=["reason", "partition", "topic", "naive-time", "missing-value"],
)
def test_invalid_dead_letters_are_rejected_from_json(overrides: dict) -> None:
    """Unknown reasons, negative partitions, bad topic names and naive times are refused."""
    wire = json.loads(_dead_letter().model_dump_json())
    wire.update(overrides)
    with pytest.raises(ValidationError):
        DeadLetter.model_validate_json(json.dumps(wire))

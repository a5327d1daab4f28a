"""Issue 12: every field is bounded, and the JSON Schemas draw each bound where the models do."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from pydantic import BaseModel, ValidationError

from schemas import (
    DeadLetter,
    DeadLetterReason,
    FieldError,
    FloodObservation,
    FloodPathPrediction,
    GaugeReading,
    OpsAlert,
    OutOfBoundsError,
    RejectedReadingError,
    SchemaViolationError,
    decode_reading,
)
from schemas.export import DEFAULT_FOLDER, schema_file_name
from tests.unit.schemas.payloads import prediction, reading_dict

INT64 = 2**63 - 1


def _json(model: BaseModel) -> dict[str, Any]:
    return json.loads(model.model_dump_json())


def _alert() -> dict[str, Any]:
    at = "2026-11-25T12:00:00Z"
    return {
        "kind": "cpu",
        "severity": "warning",
        "state": "firing",
        "value": 1.0,
        "threshold": 0.5,
        "since": at,
        "at": at,
        "labels": {"group": "floodcast-worker"},
        "summary": "cpu over",
    }


def _dead_letter() -> dict[str, Any]:
    return {
        "topic": "gauge-readings",
        "partition": 0,
        "offset": 0,
        "value": "",
        "reason": "invalid_json",
        "detail": "",
        "dead_lettered_at": "2026-11-25T12:00:00Z",
    }


def _observation() -> dict[str, Any]:
    return {"basin_id": "b", "observed_at": "2026-11-25T12:00:00Z"}


BASES = {
    GaugeReading: reading_dict,
    FloodPathPrediction: lambda: _json(prediction()),
    OpsAlert: _alert,
    DeadLetter: _dead_letter,
    FloodObservation: _observation,
}

# (message, field, a value just inside its bounds, one just outside)
EDGES = [
    (GaugeReading, "sequence", INT64, INT64 + 1),
    (GaugeReading, "observed_at", "2099-12-30T23:00:00+23:00", "0001-01-01T00:00:00Z"),
    (GaugeReading, "observed_at", "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z"),
    (GaugeReading, "gauge_id", "g" * 64, "g" * 65),
    (FloodPathPrediction, "watermark", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z"),
    (FloodPathPrediction, "issued_at", "2099-12-31T00:00:00Z", "2100-01-01T00:00:00Z"),
    (FloodPathPrediction, "readings_used", INT64, INT64 + 1),
    (OpsAlert, "labels", {"g" * 64: "v" * 1024}, {"g" * 64: "v" * 1025}),
    (OpsAlert, "labels", {f"k{i}": "v" for i in range(32)}, {f"k{i}": "v" for i in range(33)}),
    (OpsAlert, "labels", {"gauge_id": "v"}, {"not an id": "v"}),
    (OpsAlert, "summary", "s" * 4096, "s" * 4097),
    (DeadLetter, "offset", INT64, INT64 + 1),
    (DeadLetter, "partition", 2**31 - 1, 2**31),
    (DeadLetter, "detail", "d" * 4096, "d" * 4097),
    (DeadLetter, "field_errors", [{"loc": "", "msg": "", "type": "t"}] * 20, [{"loc": ""}] * 21),
    (FloodObservation, "observed_at", "1970-01-01T00:00:00Z", "1969-12-31T23:30:00-01:00"),
    (FloodObservation, "flooded_reach_ids", [f"r{i}" for i in range(10_000)], ["r"] * 10_001),
]


def _validator(message: type[BaseModel]) -> jsonschema_rs.Validator:
    schema = json.loads(Path(DEFAULT_FOLDER, schema_file_name(message)).read_text())
    return jsonschema_rs.validator_for(schema)


@pytest.mark.parametrize(
    ("message", "field", "inside", "outside"),
    EDGES,
    ids=[f"{m.__name__}.{f}-{i}" for i, (m, f, *_) in enumerate(EDGES)],
)
def test_model_and_json_schema_agree_at_each_bound(
    message: type[BaseModel], field: str, inside: object, outside: object
) -> None:
    """A value at a field's bound is valid in the model and its JSON Schema, one past it in none."""
    validator = _validator(message)
    body = BASES[message]()
    valid = {**body, field: inside}
    message.model_validate_json(json.dumps(valid))
    assert validator.is_valid(valid)
    invalid = {**body, field: outside}
    with pytest.raises(ValidationError):
        message.model_validate_json(json.dumps(invalid))
    assert not validator.is_valid(invalid)


# (message, field, earliest, latest): JSON Schema states these as formatMinimum/formatMaximum
WINDOWS = [
    (GaugeReading, "observed_at", "1970-01-01T01:00:00Z", "2099-12-30T00:00:00Z"),
    (FloodPathPrediction, "watermark", "1970-01-01T00:00:00Z", "2099-12-31T00:00:00Z"),
    (FloodPathPrediction, "issued_at", "1970-01-01T00:00:00Z", "2099-12-31T00:00:00Z"),
    (OpsAlert, "since", "1970-01-01T00:00:00Z", "2099-12-31T00:00:00Z"),
    (DeadLetter, "dead_lettered_at", "1970-01-01T00:00:00Z", "2099-12-31T00:00:00Z"),
    (FloodObservation, "observed_at", "1970-01-01T00:00:00Z", "2099-12-31T00:00:00Z"),
]


@pytest.mark.parametrize(("message", "field", "earliest", "latest"), WINDOWS)
def test_times_are_bounded_to_the_window_the_json_schema_states(
    message: type[BaseModel], field: str, earliest: str, latest: str
) -> None:
    """A time is valid from the stated earliest to the stated latest, to the second."""
    schema = json.loads(Path(DEFAULT_FOLDER, schema_file_name(message)).read_text())
    stated = schema["properties"][field]
    assert (stated["formatMinimum"], stated["formatMaximum"]) == (earliest, latest)
    body = BASES[message]()
    if field == "since":
        body["at"] = latest
    for inside in (earliest, latest):
        message.model_validate_json(json.dumps({**body, field: inside}))
    for outside in (_shift(earliest, -1), _shift(latest, 1)):
        with pytest.raises(ValidationError, match="time_out_of_window"):
            message.model_validate_json(json.dumps({**body, field: outside}))


def _shift(moment: str, seconds: int) -> str:
    shifted = datetime.fromisoformat(moment) + timedelta(seconds=seconds)
    return shifted.isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"sequence": 2**63}, SchemaViolationError),
        ({"sequence": 2**200}, SchemaViolationError),
        ({"observed_at": "0001-01-01T00:00:00Z"}, OutOfBoundsError),
        ({"observed_at": "9999-12-31T23:59:59.999999Z"}, OutOfBoundsError),
        ({"observed_at": "1969-12-31T23:59:59+00:00"}, OutOfBoundsError),
    ],
)
def test_readings_beyond_their_types_are_clear_rejections(
    overrides: dict[str, object], error: type[RejectedReadingError]
) -> None:
    """The readings of issue 12 (a 2**63 sequence, year 1) are refused with a named field."""
    raw = json.dumps(reading_dict(**overrides)).encode()
    with pytest.raises(error) as caught:
        decode_reading(raw, max_bytes=10_000)
    assert [e.loc for e in caught.value.field_errors] == list(overrides)


def test_any_rejection_makes_a_valid_dead_letter() -> None:
    """Details and field errors that echo huge input are cut to the dead letter's limits."""
    raw = json.dumps({"x" * 100_000: 1, **{f"f{i}": i for i in range(50)}}).encode()
    with pytest.raises(RejectedReadingError) as caught:
        decode_reading(raw, max_bytes=len(raw))
    letter = DeadLetter.from_rejection(
        caught.value,
        topic="gauge-readings",
        partition=0,
        offset=1,
        key=None,
        value=raw,
        at=OpsAlert.model_validate_json(json.dumps(_alert())).at,
    )
    again = DeadLetter.model_validate_json(letter.model_dump_json())
    assert again.reason is DeadLetterReason.SCHEMA_VIOLATION
    assert again.value == raw
    assert len(again.detail) <= 4096 and len(again.field_errors) == 20
    assert all(len(e.loc) <= 512 for e in again.field_errors)


def test_clipped_field_errors_mark_the_cut() -> None:
    """A clipped text keeps its start and says it was cut."""
    error = FieldError.clipped("l" * 600, "m" * 2000, "t")
    assert (len(error.loc), len(error.msg)) == (512, 1024)
    assert error.loc.endswith("…") and error.msg.startswith("m" * 1000)

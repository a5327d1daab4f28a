"""SenML packs decode record by record into the readings their single-message twins give."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import (
    DeadLetterReason,
    GaugeReading,
    InvalidJsonError,
    NotUtf8Error,
    OversizeMessageError,
    SchemaViolationError,
    decode_message,
    decode_reading,
    is_pack,
)
from tests.unit.stream_app.readings import gauge_pack, pack_bytes, reading_bytes, senml_record

LIMIT = 8192


def _single(gauge: str, slot: int, rain: float = 0.0) -> GaugeReading:
    return decode_reading(reading_bytes(gauge, slot, rain), max_bytes=LIMIT)


def test_single_reading_decodes_as_itself_without_index() -> None:
    raw = reading_bytes("toy-G1", 3, 1.5)
    assert not is_pack(raw)
    assert decode_message(raw, max_bytes=LIMIT) == [(None, _single("toy-G1", 3, 1.5))]


def test_base_fields_carry_over_to_later_records() -> None:
    raw = gauge_pack("toy-G2", range(4, 9), rain=lambda s: s / 10)
    assert is_pack(b"  \n" + raw)
    decoded = decode_message(raw, max_bytes=LIMIT)
    assert decoded == [(i, _single("toy-G2", s, s / 10)) for i, s in enumerate(range(4, 9))]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["toy-G1", "toy-G2", "toy-G3"]),
            st.integers(0, 10_000),
            st.floats(0.0, 75.0, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_pack_equals_its_single_readings(items: list[tuple[str, int, float]]) -> None:
    raw = pack_bytes([senml_record(g, s, r) for g, s, r in items])
    decoded = decode_message(raw, max_bytes=1 << 20)
    assert decoded == [(i, _single(g, s, r)) for i, (g, s, r) in enumerate(items)]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"u": "in"}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"n": "temperature"}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"bn": "urn:dev:other:toy:toy-G1:"}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"seq": None}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"seq": "7"}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"v": None}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"v": 151.0}, DeadLetterReason.OUT_OF_BOUNDS),
        ({"v": -1.0}, DeadLetterReason.OUT_OF_BOUNDS),
        ({"v": float("nan")}, DeadLetterReason.OUT_OF_BOUNDS),
        ({"t": 1_000.0}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"t": float("nan")}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"t": float("inf")}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"t": 1e300}, DeadLetterReason.SCHEMA_VIOLATION),
        ({"x_": 1}, DeadLetterReason.SCHEMA_VIOLATION),
    ],
)
def test_one_bad_record_refuses_only_that_record(
    change: dict[str, object], reason: DeadLetterReason
) -> None:
    records = [senml_record("toy-G1", s) for s in range(3)]
    records[1] = {k: v for k, v in {**records[1], **change}.items() if v is not None}
    raw = json.dumps(records).encode()  # NaN is written as the bare token NaN
    decoded = decode_message(raw, max_bytes=LIMIT)
    assert [index for index, _ in decoded] == [0, 1, 2]
    assert decoded[0][1] == _single("toy-G1", 0)
    assert decoded[2][1] == _single("toy-G1", 2)
    error = decoded[1][1]
    assert not isinstance(error, GaugeReading)
    assert error.reason is reason


def test_unknown_plain_fields_are_ignored() -> None:
    record = {**senml_record("toy-G1", 0), "vs": "ignored", "extra": 1}
    assert decode_message(pack_bytes([record]), max_bytes=LIMIT) == [(0, _single("toy-G1", 0))]


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b'[{"bn": "urn:dev:floodcast:toy:toy-G1:"', InvalidJsonError),
        (b"[]", SchemaViolationError),
        (b"[1, 2] trailing", InvalidJsonError),
        (b'[{"n": "\xff"}]', NotUtf8Error),
        (pack_bytes([senml_record("toy-G1", s) for s in range(200)]), OversizeMessageError),
    ],
)
def test_unreadable_pack_is_one_rejection(raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        decode_message(raw, max_bytes=LIMIT)


def test_a_record_that_is_not_an_object_is_refused_alone() -> None:
    raw = pack_bytes([senml_record("toy-G1", 0), 5])  # type: ignore[list-item]
    decoded = decode_message(raw, max_bytes=LIMIT)
    assert decoded[0] == (0, _single("toy-G1", 0))
    assert decoded[1][0] == 1
    assert isinstance(decoded[1][1], SchemaViolationError)

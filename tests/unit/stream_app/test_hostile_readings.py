"""Issue 12: no message takes a batch down; each is scored, dead-lettered or deduplicated once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import AwareDatetime, ValidationError

from schemas import DeadLetter, DeadLetterReason, FloodPathPrediction, GaugeReading, decode_message
from schemas.decode import decode_reading
from stream_app.accounting import PartitionCounts
from stream_app.processing import BatchProcessor, BatchResult, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from stream_app.state import decode_basin_state
from tests.helpers import hostile
from tests.unit.stream_app.readings import T0, TOPIC, TOY_GAUGES, RecordLog, reading_bytes

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
HISTORY_SLOTS = 8
"""Slots of valid readings stored before each batch: the basin has state."""
EXAMPLES = 400


class _Stored:
    """The two tables after ``HISTORY_SLOTS`` slots of valid readings."""

    def __init__(self, processor: BatchProcessor) -> None:
        log = RecordLog()
        result = processor.process(log.slots(range(HISTORY_SLOTS)), lambda _: None, lambda _: None)
        self.states = {basin: data for basin, (_, data) in result.basin_states.items()}
        self.counts = {str(p): c.to_bytes() for p, (_, c) in result.partition_counts.items()}
        self.next_offset = HISTORY_SLOTS * len(TOY_GAUGES)


def _processor(scorer: FloodPathScorer) -> BatchProcessor:
    config = ProcessorConfig(max_message_bytes=4_096, lateness_seconds=3_600)
    return BatchProcessor(scorer, config, clock=lambda: NOW)


@pytest.fixture(scope="module")
def processor(toy_scorer: FloodPathScorer) -> BatchProcessor:
    return _processor(toy_scorer)


@pytest.fixture(scope="module")
def stored(processor: BatchProcessor) -> _Stored:
    return _Stored(processor)


def _batch(
    stored: _Stored, values: Sequence[tuple[bytes | None, bytes]], split: int = 3
) -> list[SourceRecord]:
    """Records after the stored ones: the values after the first ``split`` of two slots of valid
    readings."""
    valid = [
        (b"toy", reading_bytes(g, s, 1.0))
        for s in range(HISTORY_SLOTS, HISTORY_SLOTS + 2)
        for g in TOY_GAUGES
    ]
    mixed = [*valid[:split], *values, *valid[split:]]
    return [
        SourceRecord(TOPIC, 0, stored.next_offset + i, key, value)
        for i, (key, value) in enumerate(mixed)
    ]


def _readings_in(value: bytes, processor: BatchProcessor) -> int:
    """Readings a message counts as: a pack's records, else one."""
    try:
        return len(decode_message(value, max_bytes=processor.config.max_message_bytes))
    except Exception:  # unreadable: one dead letter
        return 1


def _counted(stored: _Stored, result: BatchResult) -> int:
    before = PartitionCounts.from_bytes(stored.counts["0"]).total
    return result.partition_counts[0][1].total - before


KEYS = st.one_of(st.just(b"toy"), st.none(), st.binary(max_size=300))
READINGS = hostile.readings("toy", TOY_GAUGES, T0 + timedelta(hours=2))
# often after every valid reading: an extreme one is then the last of its gauge
SPLITS = st.one_of(st.just(2 * len(TOY_GAUGES)), st.integers(0, 2 * len(TOY_GAUGES)))
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _check_batch(
    processor: BatchProcessor,
    stored: _Stored,
    values: Sequence[tuple[bytes | None, bytes]],
    split: int,
) -> None:
    """Process the values among valid readings: no raise, every reading counted once (a
    readable SenML pack: each of its records), each refusal dead-lettered with its original key
    and bytes, every output valid."""
    records = _batch(stored, values, split)
    result = processor.process(records, stored.states.get, stored.counts.get)
    assert (result.replayed, result.held) == (0, 0)
    assert _counted(stored, result) == sum(_readings_in(r.value, processor) for r in records)
    originals = {record.offset: record for record in records}
    for _, letter in result.dead_letters:
        original = originals[letter.offset]
        assert (letter.key, letter.value) == (original.key, original.value)
        assert DeadLetter.model_validate_json(letter.model_dump_json()) == letter
    for prediction in result.predictions:
        assert FloodPathPrediction.model_validate_json(prediction.model_dump_json()) == prediction
    geometries = processor.scorer.geometries
    for basin_id, (_, data) in result.basin_states.items():
        decode_basin_state(geometries[basin_id], data, processor.config.dedupe_window)


@_SETTINGS
@given(
    values=st.lists(st.tuples(KEYS, hostile.any_bytes(READINGS)), min_size=1, max_size=4),
    split=SPLITS,
)
def test_any_bytes_are_accounted_for_once(
    processor: BatchProcessor,
    stored: _Stored,
    values: list[tuple[bytes | None, bytes]],
    split: int,
) -> None:
    """Any key and bytes, JSON of any shape and depth, among valid readings."""
    _check_batch(processor, stored, values, split)


@_SETTINGS
@given(values=st.lists(READINGS.map(hostile.to_json), min_size=1, max_size=6), split=SPLITS)
def test_readings_at_the_limits_of_their_types_are_accounted_for_once(
    processor: BatchProcessor, stored: _Stored, values: list[bytes], split: int
) -> None:
    """Readings of the basin with one or two fields at the extremes of their types (a sequence
    of 2**63, a year-1 time for a basin with state, NaN, huge strings) among valid readings."""
    _check_batch(processor, stored, [(b"toy", value) for value in values], split)


class _UnboundedReading(GaugeReading):
    """A reading as the schema was before issue 12: any integer sequence, any aware time."""

    sequence: int  # type: ignore[assignment]
    observed_at: AwareDatetime  # type: ignore[assignment]


def _decode_unbounded(raw: bytes, *, max_bytes: int) -> GaugeReading:
    """Decode as before issue 12: what the bounds refuse passes, every other check stays."""
    try:
        return _UnboundedReading.model_validate_json(raw)
    except ValidationError:
        return decode_reading(raw, max_bytes=max_bytes)  # raises the usual rejection


def _reading(**overrides: Any) -> bytes:
    return reading_bytes("toy-G1", HISTORY_SLOTS + 1, 1.0, **overrides)


@pytest.mark.parametrize(
    "culprit",
    [
        _reading(sequence=2**63),
        _reading(sequence=2**70),
        _reading(observed_at="0001-01-01T00:00:00Z", sequence=99),
    ],
    ids=["sequence-2**63", "sequence-2**70", "year-1"],
)
def test_a_record_failing_beyond_the_record_checks_is_isolated_and_the_rest_exact(
    processor: BatchProcessor,
    stored: _Stored,
    monkeypatch: pytest.MonkeyPatch,
    culprit: bytes,
) -> None:
    """With the schema's bounds lifted, the readings of issue 12 fail inside the batch: the one
    record is dead-lettered as a processing error with its bytes, and the rest of the batch comes
    out exactly as if it had been a malformed message."""
    monkeypatch.setattr("schemas.senml.decode_reading", _decode_unbounded)
    malformed = [(b"toy", b"{not json"), (b"toy", b"[" * 4_000)]
    # last of its gauge in the batch: a later reading of the gauge would reset its window
    records = _batch(stored, [malformed[0], (b"toy", culprit), malformed[1]], split=6)
    result = processor.process(records, stored.states.get, stored.counts.get)

    reference = processor.process(
        _batch(stored, [malformed[0], (b"toy", b"{"), malformed[1]], split=6),
        stored.states.get,
        stored.counts.get,
    )
    letters = {letter.offset: letter for _, letter in result.dead_letters}
    quarantined = letters[records[7].offset]
    assert quarantined.reason is DeadLetterReason.PROCESSING_ERROR
    assert (quarantined.value, quarantined.key) == (culprit, b"toy")
    assert [json.loads(p.model_dump_json()) for p in result.predictions] == [
        json.loads(p.model_dump_json()) for p in reference.predictions
    ]
    assert result.basin_states["toy"][1] == reference.basin_states["toy"][1]
    counts, expected = result.partition_counts[0][1], reference.partition_counts[0][1]
    assert (counts.scored, counts.pending, counts.deduplicated, counts.offset) == (
        expected.scored,
        expected.pending,
        expected.deduplicated,
        expected.offset,
    )
    assert counts.dead_lettered == {"invalid_json": 2, "processing_error": 1}
    assert _counted(stored, result) == len(records)

"""The batch processor accounts for every message once and publishes paths per finalised slot."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from schemas import DeadLetterReason, FloodPathPrediction
from stream_app.accounting import PartitionCounts
from stream_app.processing import BatchProcessor, BatchResult, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from stream_app.state import BasinState
from tests.unit.stream_app.readings import TOPIC, TOY_GAUGES, RecordLog, reading_bytes

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


class Tables:
    """In-memory stand-ins for the worker's two tables."""

    def __init__(self, processor: BatchProcessor) -> None:
        self.processor = processor
        self.states: dict[str, bytes] = {}
        self.counts: dict[str, bytes] = {}
        self.predictions: list[FloodPathPrediction] = []
        self.dead_letters: list = []

    def run(self, records: Sequence[SourceRecord], batch_size: int = 1_000) -> list[BatchResult]:
        results = []
        for start in range(0, len(records), batch_size):
            result = self.processor.process(
                records[start : start + batch_size], self.states.get, self.counts.get
            )
            for basin_id, (_, data) in result.basin_states.items():
                self.states[basin_id] = data
            for partition, (_, counts) in result.partition_counts.items():
                self.counts[str(partition)] = counts.to_bytes()
            self.predictions += result.predictions
            self.dead_letters += result.dead_letters
            results.append(result)
        return results

    def totals(self) -> PartitionCounts:
        return PartitionCounts.summed(PartitionCounts.from_bytes(v) for v in self.counts.values())


@pytest.fixture
def tables(toy_scorer: FloodPathScorer) -> Tables:
    config = ProcessorConfig(max_message_bytes=1_024, lateness_seconds=3_600)
    return Tables(BatchProcessor(toy_scorer, config, clock=lambda: NOW))


def _summary(predictions: list[FloodPathPrediction]) -> list[tuple]:
    return [
        (p.basin_id, p.watermark, tuple(r.reach_id for r in p.reaches), p.changed, p.readings_used)
        for p in predictions
    ]


def test_every_message_lands_in_exactly_one_bucket(tables: Tables) -> None:
    """Valid readings are scored, copies deduplicated, and each bad message dead-lettered once."""
    log = RecordLog()
    valid = log.slots(range(6), rain=lambda s: 1.0)
    malformed = {
        b"{not json": DeadLetterReason.INVALID_JSON,
        reading_bytes("toy-G1", 50, sequence="50"): DeadLetterReason.SCHEMA_VIOLATION,
        reading_bytes("toy-G1", 51).replace(b'"rainfall_mm": 0.0', b'"rainfall_mm": NaN'): (
            DeadLetterReason.OUT_OF_BOUNDS
        ),
        reading_bytes("toy-G1", 52, rain=-3.0): DeadLetterReason.OUT_OF_BOUNDS,
        reading_bytes("toy-G9", 53): DeadLetterReason.UNKNOWN_GAUGE,
        reading_bytes("x-G1", 54, basin_id="atlantis"): DeadLetterReason.UNKNOWN_BASIN,
        reading_bytes("toy-G1", 55, battery_v=3.3, note="x" * 2_000): DeadLetterReason.OVERSIZE,
        b'{"gauge_id": "\xff\xfe"}': DeadLetterReason.NOT_UTF8,
    }
    bad = [log.record(value) for value in malformed]
    mismatched = log.record(reading_bytes("toy-G2", 60), key=b"other")
    copies = [log.record(record.value) for record in valid[:5]]
    valid += log.slots(range(6, 12), rain=lambda s: 1.0)
    tables.run([*valid[:18], *bad, mismatched, *copies, *valid[18:]], batch_size=7)

    reasons = {bytes(letter.value): letter.reason for _, letter in tables.dead_letters}
    assert reasons == {**malformed, mismatched.value: DeadLetterReason.KEY_MISMATCH}
    assert all(letter.key == record.key for record, letter in tables.dead_letters)
    assert all(letter.offset == record.offset for record, letter in tables.dead_letters)
    totals = tables.totals()
    assert totals.scored == len(valid)
    assert totals.pending == 0
    assert totals.deduplicated == len(copies)
    assert totals.dead_lettered == Counter(r.value for r in reasons.values())
    assert totals.total == len(valid) + len(bad) + 1 + len(copies)


def test_pending_readings_move_to_scored_when_their_slot_closes(tables: Tables) -> None:
    """Readings of an incomplete slot are pending until the slot is finalised."""
    log = RecordLog()
    tables.run(log.slots(range(2)))
    tables.run([log.record(reading_bytes("toy-G1", 2))])
    assert (tables.totals().scored, tables.totals().pending) == (6, 1)
    tables.run([log.record(reading_bytes(g, 2)) for g in TOY_GAUGES[1:]])
    assert (tables.totals().scored, tables.totals().pending) == (9, 0)


def test_replayed_records_are_not_counted_or_applied_again(tables: Tables) -> None:
    """Records at or below the counted offset (a replay after a restart) change nothing."""
    records = RecordLog().slots(range(8), rain=lambda s: 2.0)
    tables.run(records[:13])
    states, counts, published = dict(tables.states), dict(tables.counts), len(tables.predictions)
    (result,) = tables.run(records[:13])
    assert result.replayed == 13
    assert (tables.states, tables.counts, len(tables.predictions)) == (states, counts, published)
    tables.run(records[5:])  # overlapping redelivery: only the new tail counts
    assert tables.totals().scored == len(records)
    assert tables.totals().deduplicated == 0


def test_batching_does_not_change_the_predictions(toy_scorer: FloodPathScorer) -> None:
    """One batch or many: the same slots are scored and the same predictions published."""
    records = RecordLog().slots(range(60), rain=lambda s: 3.0 if 8 <= s < 20 else 0.0)
    runs = []
    for batch_size in (1, 7, 1_000):
        tables = Tables(BatchProcessor(toy_scorer, ProcessorConfig(), clock=lambda: NOW))
        tables.run(records, batch_size=batch_size)
        runs.append(_summary(tables.predictions))
    assert runs[0] == runs[1] == runs[2]
    assert len(runs[0]) >= 3


def test_storm_publishes_a_path_then_the_all_clear(tables: Tables) -> None:
    """The first prediction, each path change and the final all-clear are published."""
    records = RecordLog().slots(range(200), rain=lambda s: 3.0 if 8 <= s < 20 else 0.0)
    tables.run(records, batch_size=50)
    paths = [tuple(r.reach_id for r in p.reaches) for p in tables.predictions]
    assert paths[0] == () and tables.predictions[0].changed is None
    assert any(paths), "heavy rain should put reaches on the path"
    last_flood = max(i for i, path in enumerate(paths) if path)
    assert paths[last_flood + 1] == () and tables.predictions[last_flood + 1].changed is True
    assert all(path == () for path in paths[last_flood + 1 :])
    for previous, current, prediction in zip(
        paths[:-1], paths[1:], tables.predictions[1:], strict=True
    ):
        assert prediction.changed == (current != previous)
    assert all(p.model.name == "floodcast-toy" and p.issued_at == NOW for p in tables.predictions)


def test_unchanged_path_is_republished_at_the_cadence(tables: Tables) -> None:
    """With nothing changing, a prediction goes out once per cadence of event time."""
    tables.run(RecordLog().slots(range(16)))  # 4 hours, dry
    watermarks = [p.watermark for p in tables.predictions]
    hours = [(w - watermarks[0]).total_seconds() / 3_600 for w in watermarks]
    assert hours == [0.0, 1.0, 2.0, 3.0]
    assert all(p.all_clear for p in tables.predictions)


def test_reading_for_a_final_slot_is_dead_lettered_too_late(tables: Tables) -> None:
    """A reading reaching into an already final slot goes to the dead letters as too_late."""
    log = RecordLog()
    tables.run(log.slots(range(4)))
    late = log.record(reading_bytes("toy-G1", 900, observed_at="2026-01-01T00:30:00+00:00"))
    tables.run([late])
    ((record, letter),) = tables.dead_letters
    assert letter.reason is DeadLetterReason.TOO_LATE
    assert record is late and bytes(letter.value) == late.value


def test_unexpected_error_dead_letters_one_message_and_the_rest_go_on(
    tables: Tables, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while handling one reading dead-letters it as processing_error; others proceed."""
    original = BasinState.accept

    def flaky(self, gauge, sequence, start, end, rain_mm):
        if gauge == 1 and sequence == 2:
            raise RuntimeError("disk on fire")
        return original(self, gauge, sequence, start, end, rain_mm)

    monkeypatch.setattr(BasinState, "accept", flaky)
    records = RecordLog().slots(range(4))
    tables.run(records)
    ((record, letter),) = tables.dead_letters
    assert letter.reason is DeadLetterReason.PROCESSING_ERROR
    assert "disk on fire" in letter.detail
    assert json.loads(record.value)["gauge_id"] == "toy-G2"
    assert tables.totals().total == len(records)


def test_corrupt_stored_state_starts_the_basin_afresh(tables: Tables) -> None:
    """A stored state that does not decode is replaced instead of refusing the basin forever."""
    tables.states["toy"] = b"garbage"
    tables.run(RecordLog().slots(range(2)))
    assert tables.totals().scored == 6
    assert tables.states["toy"] != b"garbage"


def test_state_that_already_holds_a_record_does_not_take_it_twice(tables: Tables) -> None:
    """After a crash that kept the state but lost the counts, a replay adds no rain again."""
    records = RecordLog().slots(range(3), rain=lambda s: 1.0)
    tables.run(records[:4])
    tables.counts.clear()  # the counts write was lost
    tables.run(records)
    totals = tables.totals()
    assert totals.deduplicated == 4  # the replayed part, already in the state
    assert totals.total == len(records)


def test_table_entries_carry_a_record_of_their_partition(tables: Tables) -> None:
    """State and counts are written under a record of the partition they belong to."""
    log = RecordLog()
    toy = log.slots(range(2), partition=2)
    stranger = log.record(reading_bytes("x", 1, basin_id="atlantis"), partition=5)
    (result,) = tables.run([toy[0], stranger, *toy[1:]])
    (record, _) = result.basin_states["toy"]
    assert record.partition == 2
    assert {p: r.partition for p, (r, _) in result.partition_counts.items()} == {2: 2, 5: 5}


def test_records_after_an_offset_gap_are_held_until_it_is_filled(tables: Tables) -> None:
    """A skipped offset holds back later records uncounted; re-reading from it counts all."""
    records = RecordLog().slots(range(4))
    tables.run(records[:3])
    (result,) = tables.run(records[4:7])  # offset 3 went missing
    assert result.gaps == {(TOPIC, 0): 3}
    assert result.held == 3
    assert tables.totals().total == 3
    tables.run(records[3:])  # the consumer reads again from the gap
    assert tables.totals().total == len(records)
    assert tables.totals().scored == len(records)


def test_an_accepted_gap_is_skipped_for_good(toy_scorer: FloodPathScorer) -> None:
    """When the gap is given up on, the records after it are processed and counted."""
    processor = BatchProcessor(toy_scorer, ProcessorConfig(), clock=lambda: NOW)
    records = RecordLog().slots(range(4))
    counts: dict[str, bytes] = {}
    first = processor.process(records[:3], {}.get, counts.get)
    counts["0"] = first.partition_counts[0][1].to_bytes()
    result = processor.process(records[4:], {}.get, counts.get, accept_gaps={(TOPIC, 0)})
    assert result.gaps == {} and result.held == 0
    assert result.partition_counts[0][1].total == len(records) - 1


def test_reading_from_the_future_is_refused(toy_scorer: FloodPathScorer) -> None:
    """A reading ending past the wall clock plus the skew is dead-lettered as out of bounds."""
    clock_at_t0 = datetime(2026, 1, 1, 1, tzinfo=UTC)  # readings of slot 3 end at 01:00
    tables = Tables(
        BatchProcessor(toy_scorer, ProcessorConfig(max_future_seconds=0), clock=lambda: clock_at_t0)
    )
    log = RecordLog()
    tables.run([log.record(reading_bytes("toy-G1", 3)), log.record(reading_bytes("toy-G1", 4))])
    ((record, letter),) = tables.dead_letters
    assert letter.reason is DeadLetterReason.OUT_OF_BOUNDS
    assert letter.field_errors[0].loc == "observed_at"
    assert json.loads(record.value)["sequence"] == 4
    assert tables.totals().pending == 1

"""River-level readings through the batch processor: features, dead letters, accounting."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from converters.features import FEATURE_NAMES, batch_features
from schemas import MAX_STAGE_M, DeadLetterReason
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.unit.stream_app.readings import (
    LEVELS_TOPIC,
    T0,
    TOPIC,
    TOY_GAUGES,
    TOY_SENSORS,
    RecordLog,
    level_bytes,
    reading_bytes,
)
from tests.unit.stream_app.stage_tables import CheckpointTables, RecordingScorer

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SENSORS = tuple(TOY_SENSORS)


def _processor(scorer: FloodPathScorer | RecordingScorer) -> BatchProcessor:
    config = ProcessorConfig(
        max_message_bytes=1_024, lateness_seconds=3_600, topic_river_levels=LEVELS_TOPIC
    )
    return BatchProcessor(scorer, config, clock=lambda: NOW)  # type: ignore[arg-type]


@pytest.fixture
def tables(toy_scorer: FloodPathScorer) -> CheckpointTables:
    return CheckpointTables(_processor(toy_scorer))


def _storm(slots: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rain (slots, gauges) in 0.1 mm and stage (slots, sensors) in mm, NaN = not sent, with a
    3-hour outage of every sensor and one of each sensor's own."""
    rng = np.random.default_rng(seed)
    rain = np.round(np.where(rng.random((slots, 3)) < 0.4, rng.gamma(0.8, 3.0, (slots, 3)), 0), 1)
    bankfull = np.array([0.754, 1.169])
    stage = np.round(bankfull * rng.uniform(0.2, 1.4, (slots, 2)), 3)
    stage[rng.random(stage.shape) < 0.15] = np.nan
    stage[20:32] = np.nan
    stage[40:46, 1] = np.nan
    return np.minimum(rain, 70.0), stage


def _records(log: RecordLog, rain: np.ndarray, stage: np.ndarray, seed: int) -> list[SourceRecord]:
    """Each slot's river levels, then its rain in a shuffled order, with repeats. Every fifth
    slot, a sensor's reading is followed by an earlier one of the same slot (observed 5 min
    before, stage 9 m), which must not replace it."""
    rng = np.random.default_rng(seed)
    records = []
    for slot in range(len(rain)):
        levels = []
        for s, sensor in enumerate(SENSORS):
            if np.isnan(stage[slot, s]):
                continue
            levels.append(level_bytes(sensor, slot, float(stage[slot, s]), sequence=2 * slot + 1))
            if slot % 5 == 0:
                earlier = (T0 + timedelta(minutes=15 * slot + 10)).isoformat()
                levels.append(
                    level_bytes(sensor, slot, 9.0, sequence=2 * slot, observed_at=earlier)
                )
        gauges = [reading_bytes(g, slot, float(rain[slot, i])) for i, g in enumerate(TOY_GAUGES)]
        records += [log.level(value) for value in levels]
        records += [log.record(gauges[i]) for i in rng.permutation(len(gauges))]
        if slot % 7 == 3:  # a repeated river level and a repeated rain reading
            records += [log.level(levels[0])] if levels else []
            records += [log.record(gauges[0])]
    return records


@pytest.mark.parametrize("batch_size", [1, 7, 1_000])
def test_stream_features_with_stage_equal_the_batch_features(
    toy_scorer: FloodPathScorer, batch_size: int
) -> None:
    """Rain and river levels streamed in micro-batches (checkpoints stored as bytes between
    them), with repeats and a sensor reading twice in a slot, give per slot exactly the
    features the batch path computes from the same readings, stage columns included."""
    rain, stage = _storm(60, seed=3)
    scorer = RecordingScorer(toy_scorer)
    tables = CheckpointTables(_processor(scorer))
    tables.run(_records(RecordLog(), rain, stage, seed=3), batch_size=batch_size)
    streamed = np.stack(scorer.features["toy"])
    assert len(streamed) >= 58  # the last slots wait for readings that never come
    geometry = toy_scorer.geometries["toy"]
    expected = batch_features(geometry, rain, stage)[: len(streamed)]
    np.testing.assert_array_equal(streamed, expected)
    blind = batch_features(geometry, rain)[: len(streamed)]
    assert not np.array_equal(streamed, blind), "stage must change the features"
    missing = streamed[..., FEATURE_NAMES.index("stage_missing")]
    assert (missing[:20] == 0).any() and (missing[24:32] == 1).all()


def test_every_river_level_message_lands_in_exactly_one_bucket(tables: CheckpointTables) -> None:
    """Valid levels are scored with their slots, repeats deduplicated, each bad message
    dead-lettered once with its reason and bytes; both topics' counts add up on their own."""
    log = RecordLog()

    def slots(numbers: range) -> list[SourceRecord]:
        out = []
        for slot in numbers:
            out += [log.level(level_bytes(sensor, slot, 0.6)) for sensor in SENSORS]
            out += [log.record(reading_bytes(g, slot, 1.0)) for g in TOY_GAUGES]
        return out

    first = slots(range(4))
    repeats = [log.level(level_bytes("toy-S02", 3, 0.6)), log.level(level_bytes("toy-S04", 2, 0.6))]
    future = (NOW + timedelta(hours=3)).isoformat()
    bad = {
        b"{not json": DeadLetterReason.INVALID_JSON,
        b"\xff\xfe": DeadLetterReason.NOT_UTF8,
        level_bytes("toy-S02", 9, sequence="9"): DeadLetterReason.SCHEMA_VIOLATION,
        level_bytes("toy-S02", 9, extra=1): DeadLetterReason.SCHEMA_VIOLATION,
        level_bytes("toy-S02", 9, -0.1): DeadLetterReason.OUT_OF_BOUNDS,
        level_bytes("toy-S02", 9, MAX_STAGE_M + 1): DeadLetterReason.OUT_OF_BOUNDS,
        level_bytes("toy-S02", 9, observed_at=future): DeadLetterReason.OUT_OF_BOUNDS,
        level_bytes("toy-S09", 9): DeadLetterReason.UNKNOWN_SENSOR,
        level_bytes("toy-S02", 9, reach_id="C"): DeadLetterReason.UNKNOWN_SENSOR,
        level_bytes("toy-S02", 9, basin_id="elsewhere"): DeadLetterReason.UNKNOWN_BASIN,
        b" " * 2_000 + level_bytes("toy-S02", 9): DeadLetterReason.OVERSIZE,
        reading_bytes("toy-G1", 9): DeadLetterReason.SCHEMA_VIOLATION,  # rain on river-levels
    }
    broken = [log.level(value) for value in bad]
    wrong_key = log.level(level_bytes("toy-S04", 9), key=b"other")
    rest = slots(range(4, 8))
    tables.run([*first, *repeats, *broken, wrong_key, *rest], batch_size=9)

    tables.assert_dead_letters(LEVELS_TOPIC, [*bad.values(), DeadLetterReason.KEY_MISMATCH])
    stage = tables.counts(LEVELS_TOPIC)
    assert stage.total == 16 + len(repeats) + len(bad) + 1
    assert stage.deduplicated == len(repeats)
    assert stage.scored + stage.pending == 16
    assert stage.scored >= 12  # slots 0..5 at least are final and scored
    rain = tables.counts()
    assert rain.total == 24 and rain.dead_letters == 0
    assert tables.checkpoints[0].side[LEVELS_TOPIC].offset == stage.total - 1  # the last level


def test_a_level_for_a_final_slot_is_too_late(tables: CheckpointTables) -> None:
    """A river level whose slot was scored already is dead-lettered as too late, and counted."""
    log = RecordLog()
    tables.run(
        [
            *[log.level(level_bytes(sensor, s, 0.5)) for s in range(6) for sensor in SENSORS],
            *log.slots(range(6)),
        ]
    )
    (late,) = [log.level(level_bytes("toy-S02", 1, 0.9, sequence=100))]
    tables.run([late])
    ((_, letter),) = tables.dead_letters
    assert letter.reason is DeadLetterReason.TOO_LATE
    assert "falls in a slot already final" in letter.detail
    assert tables.counts(LEVELS_TOPIC).dead_lettered == {"too_late": 1}


def test_each_topic_partition_keeps_its_own_offsets(tables: CheckpointTables) -> None:
    """Rain and river levels both start at offset 0 of partition 0: neither is taken for a
    replay of the other, a gap in the river levels holds back only them, and records read
    again after a checkpoint are not counted twice."""
    log = RecordLog()
    levels = [log.level(level_bytes(sensor, s, 0.5)) for s in range(4) for sensor in SENSORS]
    rain = log.slots(range(4))
    tables.run([*levels[:2], *rain[:6]])
    (result,) = tables.run([*levels[3:], *rain[6:]])  # level offset 2 went missing
    assert result.gaps == {(LEVELS_TOPIC, 0): 2}
    assert result.held == len(levels) - 3
    assert tables.counts().total == len(rain)
    assert tables.counts(LEVELS_TOPIC).total == 2
    (again,) = tables.run([*levels, *rain])  # the gap re-read, with the rest again
    assert again.replayed == 2 + len(rain)
    assert not again.gaps
    assert tables.counts(LEVELS_TOPIC).total == len(levels)
    assert tables.counts().total == len(rain)


def test_a_batch_of_levels_alone_keeps_its_state_and_counts(tables: CheckpointTables) -> None:
    """River levels in a batch without rain are kept in the basin's state and counted pending,
    then scored with the rain of their slot in a later batch."""
    log = RecordLog()
    levels = [log.level(level_bytes(sensor, 0, 0.7)) for sensor in SENSORS]
    (result,) = tables.run(levels)
    assert "toy" in result.basin_states
    assert tables.counts(LEVELS_TOPIC).pending == 2
    tables.run(log.slots(range(1)))
    counts = tables.counts(LEVELS_TOPIC)
    assert (counts.pending, counts.scored) == (0, 2)


def test_a_processor_without_a_levels_topic_reads_every_record_as_rain(
    toy_scorer: FloodPathScorer,
) -> None:
    """With no river-levels topic configured, a level on any topic is a rain reading that does
    not validate: no record is read as a river level by mistake."""
    tables = CheckpointTables(
        BatchProcessor(toy_scorer, ProcessorConfig(max_message_bytes=1_024), clock=lambda: NOW)
    )
    tables.run([RecordLog().level(level_bytes("toy-S02", 0))])
    ((record, letter),) = tables.dead_letters
    assert letter.reason is DeadLetterReason.SCHEMA_VIOLATION
    assert tables.counts().dead_letters == 1 and record.topic == LEVELS_TOPIC
    assert TOPIC != LEVELS_TOPIC


@pytest.mark.parametrize("backlog", [True, False])
def test_levels_read_after_hours_of_rain_count_while_a_backlog_waits(
    toy_scorer: FloodPathScorer, backlog: bool
) -> None:
    """A worker that reads 4 h of a basin's rain before the same hours' river levels (one topic
    consumed ahead of the other) gives the batch path's features when it knows river levels
    are still to be read; without that knowledge the rain closes the slots and the levels that
    follow are too late."""
    rain, stage = _storm(16, seed=9)
    stage[:] = np.nan
    stage[:, 0] = 0.5
    log = RecordLog()
    rain_records = [
        log.record(reading_bytes(g, s, float(rain[s, i])))
        for s in range(16)
        for i, g in enumerate(TOY_GAUGES)
    ]
    levels = [log.level(level_bytes("toy-S02", s, 0.5)) for s in range(16)]
    scorer = RecordingScorer(toy_scorer)
    processor = _processor(scorer)
    tables = CheckpointTables(processor)
    waiting = {0} if backlog else set()
    for batch in (rain_records[:24], rain_records[24:]):
        result = processor.process(
            batch, tables.load_state, tables.load_counts, side_backlog=waiting
        )
        tables.store(result)
    tables.run(levels)
    too_late = Counter(letter.reason for _, letter in tables.dead_letters)[
        DeadLetterReason.TOO_LATE
    ]
    streamed = np.stack(scorer.features["toy"])
    expected = batch_features(toy_scorer.geometries["toy"], rain, stage)
    if backlog:
        assert too_late == 0 and len(streamed) == 16
        np.testing.assert_array_equal(streamed, expected)
    else:
        assert too_late == 16  # every slot closed on its rain alone
        assert not np.array_equal(streamed, expected)
    counts = tables.counts(LEVELS_TOPIC)
    assert counts.total == 16 and counts.dead_letters == too_late

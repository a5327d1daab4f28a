"""River levels of any shape, and valid ones at the edges of their types, never take a batch
down: each is scored, dead-lettered or deduplicated once, on the river-levels topic's counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import MAX_STAGE_M, DeadLetter, RiverLevelReading
from schemas._base import EARLIEST_READING, MAX_INT64
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from stream_app.state import decode_basin_state, encode_basin_state
from stream_app.state.partition_checkpoint import PartitionCheckpoint
from tests.helpers import hostile
from tests.unit.stream_app.readings import (
    LEVELS_TOPIC,
    T0,
    TOY_GAUGES,
    TOY_SENSORS,
    RecordLog,
    level_bytes,
    reading_bytes,
)
from tests.unit.stream_app.stage_tables import RecordingScorer

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
HISTORY_SLOTS = 8
_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class _Stored:
    """The checkpoint of partition 0 after ``HISTORY_SLOTS`` slots of rain and levels."""

    def __init__(self, processor: BatchProcessor) -> None:
        self.log = RecordLog()
        records = []
        for slot in range(HISTORY_SLOTS):
            records += [self.log.level(level_bytes(sensor, slot, 0.4)) for sensor in TOY_SENSORS]
            records += [self.log.record(reading_bytes(g, slot, 1.0)) for g in TOY_GAUGES]
        result = processor.process(records, lambda _: None, lambda _: None)
        checkpoint = PartitionCheckpoint(
            result.partition_counts[0][1],
            {basin: data for basin, (_, data) in result.basin_states.items()},
            {topic: counts for (topic, _), (_, counts) in result.side_counts.items()},
        )
        self.data = checkpoint.to_bytes()
        self.checkpoint = checkpoint

    def batch(self, levels: Sequence[tuple[bytes | None, bytes]]) -> list[SourceRecord]:
        """The levels, then a slot of rain with the sensors' levels, after the stored records."""
        log = RecordLog()
        log._next = dict(self.log._next)  # continue the stored offsets
        slot = HISTORY_SLOTS
        return [
            *[log.level(value, key=key) for key, value in levels],
            *[log.level(level_bytes(sensor, slot, 0.5)) for sensor in TOY_SENSORS],
            *[log.record(reading_bytes(g, slot, 1.0)) for g in TOY_GAUGES],
        ]


def _processor(scorer: FloodPathScorer | RecordingScorer) -> BatchProcessor:
    config = ProcessorConfig(
        max_message_bytes=4_096, lateness_seconds=3_600, topic_river_levels=LEVELS_TOPIC
    )
    return BatchProcessor(scorer, config, clock=lambda: NOW)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def scorer(toy_scorer: FloodPathScorer) -> RecordingScorer:
    return RecordingScorer(toy_scorer)


@pytest.fixture(scope="module")
def processor(scorer: RecordingScorer) -> BatchProcessor:
    return _processor(scorer)


@pytest.fixture(scope="module")
def stored(processor: BatchProcessor) -> _Stored:
    return _Stored(processor)


def _check(processor: BatchProcessor, stored: _Stored, records: list[SourceRecord]) -> None:
    """No raise; each level counted once on its topic, each rain reading on the readings';
    refusals dead-lettered with their bytes; states that decode and encode back the same."""
    states = stored.checkpoint.states
    result = processor.process(records, states.get, lambda _: stored.data)
    assert (result.replayed, result.held) == (0, 0)
    before = stored.checkpoint.side[LEVELS_TOPIC].total
    ((_, levels),) = result.side_counts.values()
    assert levels.total - before == sum(r.topic == LEVELS_TOPIC for r in records)
    rain = result.partition_counts[0][1].total - stored.checkpoint.counts.total
    assert rain == len(TOY_GAUGES)
    originals = {(r.topic, r.offset): r for r in records}
    for _, letter in result.dead_letters:
        original = originals[(letter.topic, letter.offset)]
        assert (letter.key, letter.value) == (original.key, original.value)
        assert DeadLetter.model_validate_json(letter.model_dump_json()) == letter
    geometry = processor.scorer.geometries["toy"]
    for _, data in result.basin_states.values():
        state = decode_basin_state(geometry, data, processor.config.dedupe_window)
        assert encode_basin_state(state) == data


KEYS = st.one_of(st.just(b"toy"), st.none(), st.binary(max_size=300))
LEVELS = hostile.river_levels("toy", TOY_SENSORS, T0 + timedelta(hours=2))


@_SETTINGS
@given(values=st.lists(st.tuples(KEYS, hostile.any_bytes(LEVELS)), min_size=1, max_size=4))
def test_any_bytes_on_river_levels_are_accounted_for_once(
    processor: BatchProcessor, stored: _Stored, values: list[tuple[bytes | None, bytes]]
) -> None:
    """Any key and bytes, JSON of any shape, and levels with fields at their extremes."""
    _check(processor, stored, stored.batch(values))


_SENSORS = sorted(TOY_SENSORS)
EDGE_STAGES = st.one_of(
    st.sampled_from([0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1e-300, MAX_STAGE_M]),
    st.floats(min_value=0.0, max_value=MAX_STAGE_M),
)
EDGE_SEQUENCES = st.one_of(st.sampled_from([0, 1, MAX_INT64 - 1, MAX_INT64]), st.integers(0, 2**20))
EDGE_TIMES = st.one_of(
    st.sampled_from(
        [
            EARLIEST_READING.isoformat(),
            "1970-01-01T01:00:00+00:00",
            "1970-01-01T02:00:00+01:00",
            (NOW + timedelta(hours=1)).isoformat(),  # the clock-skew limit
            (T0 + timedelta(minutes=15 * HISTORY_SLOTS, seconds=1)).isoformat(),
            (T0 + timedelta(minutes=15 * HISTORY_SLOTS + 14, microseconds=999_999)).isoformat(),
        ]
    ),
    st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(2026, 6, 1), timezones=st.just(UTC)
    ).map(datetime.isoformat),
)


@st.composite
def _edge_level(draw: st.DrawFn) -> bytes:
    sensor = draw(st.sampled_from(_SENSORS))
    reading = RiverLevelReading(
        sensor_id=sensor,
        basin_id="toy",
        reach_id=TOY_SENSORS[sensor],
        sequence=draw(EDGE_SEQUENCES),
        observed_at=datetime.fromisoformat(draw(EDGE_TIMES)),
        stage_m=draw(EDGE_STAGES),
        quality=draw(st.sampled_from(["good", "suspect", "estimated"])),
    )
    return reading.model_dump_json().encode()


@_SETTINGS
@given(values=st.lists(_edge_level(), min_size=1, max_size=5))
def test_valid_levels_at_the_edges_of_their_types_are_accounted_for_once(
    processor: BatchProcessor, scorer: RecordingScorer, stored: _Stored, values: list[bytes]
) -> None:
    """Schema-valid levels with odd values (a stage of 0, -0 or the smallest subnormal, the
    largest stage, a sequence of 2**63 - 1, times at 1970 and at the clock-skew limit) are
    each counted once, and whatever slots they reach give finite features."""
    scorer.features.clear()
    _check(processor, stored, stored.batch([(b"toy", value) for value in values]))
    for features in scorer.features.get("toy", []):
        assert np.isfinite(features).all()

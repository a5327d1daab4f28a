"""Rain forecasts through the batch processor: features, dead letters, dedupe, accounting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters.features import FEATURE_NAMES, batch_features
from converters.features.rain_forecast import ForecastRecord
from schemas import DeadLetterReason
from schemas.rain_forecast import FORECAST_STEPS, MAX_FORECAST_STEP_MM
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.unit.stream_app.readings import (
    FORECASTS_TOPIC,
    LEVELS_TOPIC,
    T0,
    TOY_GAUGES,
    RecordLog,
    forecast_bytes,
    reading_bytes,
)
from tests.unit.stream_app.stage_tables import CheckpointTables, RecordingScorer

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
AGE = FEATURE_NAMES.index("forecast_age_hours")
MISSING = FEATURE_NAMES.index("forecast_missing")


def _processor(scorer: FloodPathScorer | RecordingScorer) -> BatchProcessor:
    config = ProcessorConfig(
        max_message_bytes=1_024,
        lateness_seconds=3_600,
        topic_river_levels=LEVELS_TOPIC,
        topic_rain_forecasts=FORECASTS_TOPIC,
        max_forecast_bytes=8_192,
    )
    return BatchProcessor(scorer, config, clock=lambda: NOW)  # type: ignore[arg-type]


@pytest.fixture
def tables(toy_scorer: FloodPathScorer) -> CheckpointTables:
    return CheckpointTables(_processor(toy_scorer))


def _storm(slots: int, seed: int) -> tuple[np.ndarray, ForecastRecord]:
    """Rain (slots, gauges) in 0.1 mm, and forecasts issued every 3 to 5 slots, with a gap
    long enough for the forecast to go stale."""
    rng = np.random.default_rng(seed)
    rain = np.round(np.where(rng.random((slots, 3)) < 0.4, rng.gamma(0.8, 3.0, (slots, 3)), 0), 1)
    steps = [s for s in range(1, slots, 4) if not 20 <= s < 36]
    values = np.round(rng.gamma(0.6, 2.0, (len(steps), FORECAST_STEPS, 3)), 3)
    return np.minimum(rain, 70.0), ForecastRecord(np.array(steps), np.minimum(values, 75.0))


def _records(log: RecordLog, rain: np.ndarray, forecasts: ForecastRecord) -> list[SourceRecord]:
    """Each slot's forecast (if one is issued at its end) then its rain; every third forecast
    sent twice."""
    issued = dict(zip(forecasts.issue_step.tolist(), forecasts.rain_mm, strict=True))
    records = []
    for slot in range(len(rain)):
        if slot in issued:
            value = forecast_bytes(slot, issued[slot])
            records += [log.forecast(value) for _ in range(2 if slot % 3 == 0 else 1)]
        records += [log.record(reading_bytes(g, slot, float(rain[slot, i])))
                    for i, g in enumerate(TOY_GAUGES)]  # fmt: skip
    return records


@pytest.mark.parametrize("batch_size", [1, 5, 1_000])
def test_stream_features_with_forecasts_equal_the_batch_features(
    toy_scorer: FloodPathScorer, batch_size: int
) -> None:
    """Rain and forecasts streamed in micro-batches (checkpoints stored as bytes between them),
    with repeats, give per slot exactly the features the batch path computes from the same
    forecasts, forecast columns included."""
    rain, forecasts = _storm(60, seed=5)
    scorer = RecordingScorer(toy_scorer)
    tables = CheckpointTables(_processor(scorer))
    tables.run(_records(RecordLog(), rain, forecasts), batch_size=batch_size)
    streamed = np.stack(scorer.features["toy"])
    assert len(streamed) >= 58
    geometry = toy_scorer.geometries["toy"]
    expected = batch_features(geometry, rain, forecasts=forecasts)[: len(streamed)]
    np.testing.assert_array_equal(streamed, expected)
    missing = streamed[:, 0, MISSING]
    assert missing[0] == 1 and missing[1:10].max() == 0 and missing[34] == 1
    counts = tables.counts(FORECASTS_TOPIC)
    sent = len(forecasts.issue_step)
    assert counts.total == sent + len([s for s in forecasts.issue_step if s % 3 == 0])
    assert counts.deduplicated == counts.total - sent
    assert counts.scored == sent and counts.pending == 0 and counts.dead_letters == 0


def test_every_forecast_message_lands_in_exactly_one_bucket(tables: CheckpointTables) -> None:
    """Valid forecasts are scored with their slots, repeats and older issues deduplicated,
    each bad message dead-lettered once with its reason and bytes."""
    log = RecordLog()
    values = np.full((FORECAST_STEPS, 3), 0.5)
    future = (NOW + timedelta(hours=3)).isoformat()
    first = [log.forecast(forecast_bytes(1, values)), *log.slots(range(3))]
    repeats = [
        log.forecast(forecast_bytes(1, values)),  # the same id
        log.forecast(forecast_bytes(0, values, forecast_id="toy-older")),  # issued earlier
        log.forecast(forecast_bytes(1, values * 2, forecast_id="toy-again")),  # issued as early
    ]
    bad = {
        b"{not json": DeadLetterReason.INVALID_JSON,
        b"\xff\xfe": DeadLetterReason.NOT_UTF8,
        forecast_bytes(4, values, step_minutes=30): DeadLetterReason.SCHEMA_VIOLATION,
        forecast_bytes(4, values[:-1]): DeadLetterReason.SCHEMA_VIOLATION,
        forecast_bytes(4, values - 1): DeadLetterReason.OUT_OF_BOUNDS,
        forecast_bytes(4, values + MAX_FORECAST_STEP_MM): DeadLetterReason.OUT_OF_BOUNDS,
        forecast_bytes(4, values, issued_at=future): DeadLetterReason.OUT_OF_BOUNDS,
        forecast_bytes(4, values, basin_id="elsewhere"): DeadLetterReason.UNKNOWN_BASIN,
        forecast_bytes(4, values, areas=("toy-G1", "toy-G9", "toy-G3")): (
            DeadLetterReason.UNKNOWN_GAUGE
        ),
        b" " * 8_192 + forecast_bytes(4, values): DeadLetterReason.OVERSIZE,
        reading_bytes("toy-G1", 4): DeadLetterReason.SCHEMA_VIOLATION,  # rain on forecasts
    }
    broken = [log.forecast(value) for value in bad]
    wrong_key = log.forecast(forecast_bytes(4, values), key=b"other")
    rest = [log.forecast(forecast_bytes(5, values)), *log.slots(range(3, 8))]
    tables.run([*first, *repeats, *broken, wrong_key, *rest], batch_size=4)

    tables.assert_dead_letters(FORECASTS_TOPIC, [*bad.values(), DeadLetterReason.KEY_MISMATCH])
    counts = tables.counts(FORECASTS_TOPIC)
    assert counts.total == 2 + len(repeats) + len(bad) + 1
    assert counts.deduplicated == len(repeats)
    assert (counts.scored, counts.pending) == (2, 0)
    assert tables.counts().total == 24 and tables.counts().dead_letters == 0


def test_a_forecast_for_a_final_slot_joins_the_next_one(
    toy_scorer: FloodPathScorer,
) -> None:
    """A forecast read after the slot it was issued at is final joins the next slot, with its
    leads already past dropped: every forecast feature there equals the batch path's but the
    age. One that would be stale by then is dead-lettered as too late."""
    rain = np.zeros((16, 3))
    values = np.round(np.random.default_rng(2).gamma(0.6, 2.0, (1, FORECAST_STEPS, 3)), 3)
    scorer = RecordingScorer(toy_scorer)
    tables = CheckpointTables(_processor(scorer))
    log = RecordLog()
    tables.run(log.slots(range(3)))  # slots 0..2 final
    tables.run([log.forecast(forecast_bytes(1, values[0])), *log.slots(range(3, 4))])
    tables.run(log.slots(range(4, 16)))  # final until slot 16: slot 6 is 9 slots behind
    tables.run([log.forecast(forecast_bytes(5, values[0], forecast_id="stale"))])
    streamed = np.stack(scorer.features["toy"])
    geometry = toy_scorer.geometries["toy"]
    expected = batch_features(geometry, rain, forecasts=ForecastRecord(np.array([1]), values))
    others = [i for i in range(len(FEATURE_NAMES)) if i != AGE]
    np.testing.assert_array_equal(streamed[3][:, others], expected[3][:, others])
    assert streamed[3][0, MISSING] == 0 and streamed[3][0, AGE] == 0
    ((_, letter),) = tables.dead_letters
    assert letter.reason is DeadLetterReason.TOO_LATE and "stale" in letter.detail
    counts = tables.counts(FORECASTS_TOPIC)
    assert (counts.scored, counts.dead_letters) == (1, 1)


def test_the_latest_of_forecasts_joining_one_slot_is_taken(toy_scorer: FloodPathScorer) -> None:
    """Two forecasts issued within one open slot: the features take the later, as the batch
    path would, and both messages are scored when that slot is final."""
    scorer = RecordingScorer(toy_scorer)
    tables = CheckpointTables(_processor(scorer))
    log = RecordLog()
    values = np.full((FORECAST_STEPS, 3), 0.5)
    earlier = (T0 + timedelta(minutes=20)).isoformat()
    tables.run(
        [
            log.forecast(forecast_bytes(1, values, forecast_id="toy-1a", issued_at=earlier)),
            log.forecast(forecast_bytes(1, values * 3)),
        ]
    )
    assert tables.counts(FORECASTS_TOPIC).pending == 2
    tables.run(log.slots(range(3)))
    counts = tables.counts(FORECASTS_TOPIC)
    assert (counts.pending, counts.scored) == (0, 2)
    geometry = toy_scorer.geometries["toy"]
    issued = ForecastRecord(np.array([1]), values[None] * 3)
    expected = batch_features(geometry, np.zeros((3, 3)), forecasts=issued)
    np.testing.assert_array_equal(np.stack(scorer.features["toy"]), expected)


@st.composite
def _odd_forecast(draw: st.DrawFn) -> bytes:
    """A valid forecast at the edges: any second within a few slots, some areas left out,
    values at the bounds, a repeated id."""
    areas = draw(st.lists(st.sampled_from(TOY_GAUGES), min_size=1, max_size=3, unique=True))
    step = st.sampled_from([0.0, MAX_FORECAST_STEP_MM, 1e-6, 0.0005, 12.345678901])
    rain = draw(
        st.lists(
            st.lists(step, min_size=len(areas), max_size=len(areas)),
            min_size=FORECAST_STEPS,
            max_size=FORECAST_STEPS,
        )
    )
    second = draw(st.integers(0, 8 * 900))
    issued = (T0 + timedelta(seconds=second)).isoformat()
    forecast_id = draw(st.sampled_from(["a", "b", "c", "x" * 64]))
    return forecast_bytes(0, rain, areas=areas, issued_at=issued, forecast_id=forecast_id)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_odd_forecast(), min_size=1, max_size=6), st.integers(1, 10))
def test_odd_but_valid_forecasts_are_accounted_for_once(
    toy_scorer: FloodPathScorer, forecasts: list[bytes], rain_first: int
) -> None:
    """Valid forecasts in any order, interleaved with rain, are each scored, deduplicated or
    dead-lettered as too late exactly once, never a processing error, and the features stay
    finite."""
    scorer = RecordingScorer(toy_scorer)
    tables = CheckpointTables(_processor(scorer))
    log = RecordLog()
    records = [*log.slots(range(rain_first)), *[log.forecast(value) for value in forecasts]]
    tables.run([*records, *log.slots(range(rain_first, 20))], batch_size=4)
    counts = tables.counts(FORECASTS_TOPIC)
    assert counts.total == len(forecasts)
    assert counts.pending == 0
    assert set(counts.dead_lettered) <= {"too_late"}
    assert counts.scored + counts.deduplicated + counts.dead_letters == len(forecasts)
    assert counts.scored >= 1 or counts.dead_letters >= 1
    assert np.isfinite(np.stack(scorer.features["toy"])).all()

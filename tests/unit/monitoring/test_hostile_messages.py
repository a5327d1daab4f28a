"""Issue 12: the monitor's readers take any message without raising, and count what they skip."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime

from confluent_kafka import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floodcast.monitoring import AccuracyTracker, AlertEngine
from floodcast.monitoring.accuracy.accuracy_feed import decode_messages
from floodcast.monitoring.alerts.alert_rule import AlertRule, Sample
from floodcast.monitoring.channels.kafka_channel import record_transitions
from floodcast.monitoring.lag import GroupLag, GroupStatus, LagWindow, PartitionLag
from floodcast.monitoring.signals.accounting_tail import apply_counts
from floodcast.monitoring.signals.gauge_activity import GaugeActivity
from floodcast.monitoring.signals.kafka_time import kafka_time
from schemas import FloodObservation, FloodPathPrediction, OpsAlert
from stream_app.accounting import PartitionCounts
from tests.helpers import hostile

EXAMPLES = 300
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC).timestamp()
INT64 = 2**63 - 1

TIMESTAMPS = st.tuples(
    st.sampled_from([0, 1, 2]),
    st.one_of(
        st.integers(min_value=-(2**63), max_value=INT64),
        st.sampled_from([-1, 0, INT64, -(2**63), int(NOW * 1000)]),
    ),
)
GAUGE_READINGS = hostile.readings("basin-1", ("g1", "g2"), datetime(2026, 1, 1, tzinfo=UTC))
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)


def _message(value: bytes | None, key: bytes | None = None, timestamp=(1, 0)) -> Message:
    return Message(topic="t", partition=0, offset=0, key=key, value=value, timestamp=timestamp)


@_SETTINGS
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), hostile.any_bytes(GAUGE_READINGS)), TIMESTAMPS),
        max_size=6,
    )
)
def test_gauge_activity_reads_any_readings_topic(values: list) -> None:
    """Any bytes and timestamps on gauge-readings: no raise (issue 12: one deeply nested value
    raised RecursionError), each message noted or counted, and every gauge's alert is valid."""
    activity = GaugeActivity({})
    activity.observe([_message(value, timestamp=stamp) for value, stamp in values])
    noted = [value for value, stamp in values if stamp[0] != 0 and stamp[1] >= 0 and value]
    assert activity.unreadable <= len(values)
    assert activity.unreadable >= len(values) - len(noted)
    rule = AlertRule("gauge_offline", threshold=0.0, for_seconds=0.0, clear_seconds=0.0)
    engine = AlertEngine([rule])
    samples = [_sample(gauge, basin, age) for gauge, (basin, age) in activity.ages(NOW).items()]
    fired = engine.evaluate(samples, NOW)
    for alert in fired:
        assert OpsAlert.model_validate_json(alert.model_dump_json()) == alert


def _sample(gauge: str, basin: str, age: float) -> Sample:
    return Sample("gauge_offline", age + 1.0, {"gauge_id": gauge, "basin_id": basin})


COUNTS = st.builds(lambda p: PartitionCounts(offset=p, scored=p).to_bytes(), st.integers(0, 10**6))


@_SETTINGS
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.sampled_from([b"0", b"1", b"-3", b"1" * 5_000]), st.binary()),
            st.one_of(st.none(), COUNTS, hostile.any_bytes()),
        ),
        max_size=6,
    )
)
def test_accounting_tail_reads_any_changelog_record(records: list) -> None:
    """Any key and value on the partition-counts changelog: no raise, each applied or skipped."""
    partitions: dict[int, PartitionCounts] = {}
    skipped = apply_counts(partitions, [_message(value, key) for key, value in records])
    assert 0 <= skipped <= len(records)
    assert all(isinstance(counts, PartitionCounts) for counts in partitions.values())
    PartitionCounts.summed(partitions.values())


@_SETTINGS
@given(
    predictions=st.lists(hostile.any_bytes(hostile.predictions("b")), max_size=4),
    observations=st.lists(hostile.any_bytes(hostile.observations("b")), max_size=4),
)
def test_accuracy_tracker_takes_any_predictions_and_observations(
    predictions: list[bytes], observations: list[bytes]
) -> None:
    """Any bytes and messages at the limits of their types: decoded or counted, and the tracker
    verifies and scores what decoded without raising."""
    tracker = AccuracyTracker(100, 1, {"b": ("r1", "r2", "r3")})
    seen, skipped = decode_messages([_message(v) for v in observations], FloodObservation)
    assert len(seen) + skipped == len(observations)
    for observation in seen:
        tracker.add_observation(observation)
    made, skipped = decode_messages([_message(v) for v in predictions], FloodPathPrediction)
    assert len(made) + skipped == len(predictions)
    for prediction in made:
        tracker.add_prediction(prediction)
    tracker.verify()
    tracker.scores()
    tracker.samples()


@_SETTINGS
@given(st.lists(hostile.any_bytes(hostile.alerts()), max_size=6))
def test_alert_channel_reads_any_ops_alerts(values: list[bytes]) -> None:
    """Any bytes on ops-alerts: the channel's deduplication notes the alerts and skips the rest."""
    latest: dict[bytes, OpsAlert] = {}
    record_transitions([_message(v) for v in values], latest)
    assert len(latest) <= len(values)
    assert Counter(type(alert) for alert in latest.values()) <= Counter({OpsAlert: len(values)})


@_SETTINGS
@given(st.lists(TIMESTAMPS, min_size=1, max_size=6))
def test_lag_ages_come_from_any_message_timestamp(stamps: list[tuple[int, int]]) -> None:
    """Any 64-bit timestamp a producer sets gives a usable time or none, never an error, and
    the lag rows and window built from it judge without raising."""
    rows = []
    for partition, stamp in enumerate(stamps):
        seen = kafka_time(_message(b"", timestamp=stamp))
        assert (seen is None) == (stamp[0] == 0 or stamp[1] < 0)
        age = 0.0 if seen is None else max(NOW - seen, 0.0)
        assert math.isfinite(age)
        rows.append(PartitionLag("t", partition, None, INT64, INT64, age))
    window = LagWindow(2)
    for at in (NOW, NOW + 1):
        window.add(GroupLag("g", tuple(rows), 0, "EMPTY", at))
    assert window.status is GroupStatus.STOP
    assert window.latest is not None and window.latest.max_seconds >= 0.0

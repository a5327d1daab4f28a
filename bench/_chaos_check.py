"""What a chaos run produced, against the offline reference of the same readings."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from bench._readings import KeyValue
from converters.model_package import load_package
from schemas import DeadLetter, FloodPathPrediction
from schemas.settings import Settings
from stream_app.accounting import PartitionCounts, read_accounting
from stream_app.app import PARTITION_COUNTS_TABLE, changelog_topic
from stream_app.processing import BatchProcessor, BatchResult, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = [
    "Outcome",
    "ProgressFollower",
    "check_outcome",
    "offline_result",
    "wait_until_counted",
]

PredictionKey = tuple[object, ...]


def prediction_key(prediction: FloodPathPrediction) -> PredictionKey:
    """Everything in a prediction but its wall-clock ``issued_at``."""
    return (
        prediction.prediction_id,
        prediction.basin_id,
        prediction.watermark.isoformat(),
        tuple((r.reach_id, round(r.probability, 5), r.eta_minutes) for r in prediction.reaches),
        prediction.changed,
        prediction.readings_used,
    )


@dataclass
class Outcome:
    """Counts of one run, and how they compare with the reference."""

    readings_in: int
    scored: int
    dead_lettered: int
    deduplicated: int
    pending: int
    lost: int
    """Readings in a partition beyond what its counts hold."""
    double_counted: int
    """Counts beyond the readings a partition holds."""
    miscounted: int
    """Readings in a different bucket (scored, dead-lettered, ...) than in the reference."""
    predictions_published: int
    predictions_repeated: int
    """Published again after a kill, equal to the first (same ``prediction_id``)."""
    predictions_differing: int
    """Missing from, added to, or different from the reference; repeats that differ too."""
    dead_letters_published: int
    dead_letters_unique: int
    reference: dict[str, int] = field(default_factory=dict)

    @property
    def exact(self) -> bool:
        """No loss, no double count, every bucket and prediction as the reference."""
        return not (self.lost or self.double_counted or self.miscounted or self.differing)

    @property
    def differing(self) -> int:
        return self.predictions_differing

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "exact": self.exact}


def wait_until_counted(
    settings: Settings, bootstrap: str, readings: int, timeout: float
) -> PartitionCounts:
    """Wait until the worker group's counts cover ``readings`` (or ``timeout`` passes).

    Returns:
        The totals last read.
    """
    deadline = time.monotonic() + timeout
    while True:
        totals = read_accounting(bootstrap, settings.app_id).totals
        if totals.total >= readings or time.monotonic() > deadline:
            return totals
        time.sleep(1.0)


def check_outcome(settings: Settings, bootstrap: str, messages: Sequence[KeyValue]) -> Outcome:
    """Compare the run's counts, predictions and dead letters with the offline reference.

    Args:
        settings: the workers' settings (topics, app id, processor limits, model).
        bootstrap: the broker's direct listener.
        messages: every message the feed published, in order.
    """
    reference_counts, reference_predictions = _reference(settings, messages)
    snapshot = read_accounting(bootstrap, settings.app_id)
    held = _messages_held(bootstrap, settings.topic_readings, settings.readings_partitions)
    lost = double = 0
    for partition, messages_in in held.items():
        counted = snapshot.partitions.get(partition, PartitionCounts()).total
        lost += max(0, messages_in - counted)
        double += max(0, counted - messages_in)
    totals = snapshot.totals
    buckets = ("scored", "pending", "deduplicated", "dead_letters")
    miscounted = sum(abs(getattr(totals, b) - getattr(reference_counts, b)) for b in buckets)
    published = [
        prediction_key(FloodPathPrediction.model_validate_json(value))
        for value in _read_values(bootstrap, settings.topic_predictions)
    ]
    first: dict[object, PredictionKey] = {}
    inconsistent = 0
    for key in published:
        seen = first.setdefault(key[0], key)
        inconsistent += seen != key
    unique = Counter(first.values())
    expected = Counter(reference_predictions)
    differing = sum(((unique - expected) + (expected - unique)).values()) + inconsistent
    letters = _read_values(bootstrap, settings.topic_dead_letters)
    return Outcome(
        readings_in=len(messages),
        scored=totals.scored,
        dead_lettered=totals.dead_letters,
        deduplicated=totals.deduplicated,
        pending=totals.pending,
        lost=lost,
        double_counted=double,
        miscounted=miscounted,
        predictions_published=len(published),
        predictions_repeated=len(published) - len(first),
        predictions_differing=differing,
        dead_letters_published=len(letters),
        dead_letters_unique=len(set(_letter_sources(letters))),
        reference={
            "scored": reference_counts.scored,
            "dead_lettered": reference_counts.dead_letters,
            "deduplicated": reference_counts.deduplicated,
            "pending": reference_counts.pending,
            "predictions": len(reference_predictions),
        },
    )


def offline_result(
    settings: Settings, messages: Sequence[tuple[bytes | None, bytes]]
) -> BatchResult:
    """``messages`` processed in one go, in order, as one partition: what a worker should do."""
    scorer = FloodPathScorer(load_package(settings.model_path))
    processor = BatchProcessor(scorer, ProcessorConfig.from_settings(settings))
    records = [
        SourceRecord(settings.topic_readings, 0, offset, key, value)
        for offset, (key, value) in enumerate(messages)
    ]
    return processor.process(records, {}.get, {}.get)


def _reference(
    settings: Settings, messages: Sequence[KeyValue]
) -> tuple[PartitionCounts, list[PredictionKey]]:
    """Counts and predictions of the messages processed in one go, in order."""
    result = offline_result(settings, messages)
    counts = result.partition_counts[0][1] if result.partition_counts else PartitionCounts()
    return counts, [prediction_key(p) for p in result.predictions]


def _letter_sources(values: Sequence[bytes]) -> list[tuple[int, int]]:
    """Source partition and offset of each dead letter: a repeat names the same ones."""
    letters = (DeadLetter.model_validate_json(value) for value in values)
    return [(letter.partition, letter.offset) for letter in letters]


def _consumer(bootstrap: str) -> Consumer:
    return Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"chaos-check-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
        }
    )


def _messages_held(bootstrap: str, topic: str, partitions: int) -> dict[int, int]:
    consumer = _consumer(bootstrap)
    try:
        held = {}
        for partition in range(partitions):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), 30)
            held[partition] = high - low
        return held
    finally:
        consumer.close()


def _read_values(bootstrap: str, topic: str, timeout: float = 60.0) -> list[bytes]:
    """Every value of ``topic``, from its start to the end seen now."""
    consumer = _consumer(bootstrap)
    try:
        metadata = consumer.list_topics(topic, timeout=30).topics.get(topic)
        if metadata is None or metadata.error is not None:
            return []
        ends = {}
        for partition in metadata.partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), 30)
            if high > low:
                ends[partition] = high
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in ends])
        values: list[bytes] = []
        deadline = time.monotonic() + timeout
        while ends and time.monotonic() < deadline:
            for message in consumer.consume(1000, timeout=0.5):
                if message.error() is not None:
                    continue
                values.append(message.value())
                if message.offset() + 1 >= ends.get(message.partition(), 0):
                    ends.pop(message.partition(), None)
        return values
    finally:
        consumer.close()


class ProgressFollower:
    """Follows the counts changelog from a thread: when did the workers last make progress.

    Each record is a batch some worker finished; its CreateTime is when.
    """

    def __init__(self, bootstrap: str, app_id: str, partitions: int) -> None:
        self.times: list[float] = []
        self._lock = threading.Lock()
        self._consumer = _consumer(bootstrap)
        topic = changelog_topic(app_id, PARTITION_COUNTS_TABLE)
        self._consumer.assign(
            [TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)]
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chaos-progress", daemon=True)
        self._thread.start()

    def first_after(self, moment: float, timeout: float = 180.0) -> float | None:
        """CreateTime of the first batch finished after ``moment`` (waits up to ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                later = [t for t in self.times if t > moment]
            if later:
                return min(later)
            time.sleep(0.2)
        return None

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._consumer.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            for message in self._consumer.consume(500, timeout=0.3):
                if message.error() is None:
                    with self._lock:
                        self.times.append(message.timestamp()[1] / 1000.0)

"""Issue 12 on a real broker: readings at the edge of their types, malformed messages and valid
readings in the same batches are each accounted for once, and the partition keeps moving."""

from __future__ import annotations

from collections import Counter

import pytest

from schemas import DeadLetter, DeadLetterReason, FloodPathPrediction
from schemas.settings import Settings
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.kafka_io import consume_all, produce, wait_for_accounting
from tests.integration.stream_app.reference import prediction_key, reference_predictions
from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes

pytestmark = pytest.mark.integration

Message = tuple[bytes | None, bytes]


def _valid(slots: range) -> list[Message]:
    return [
        (b"toy", reading_bytes(g, s, rain=3.0 if 10 <= s < 25 else 0.0))
        for s in slots
        for g in TOY_GAUGES
    ]


# each refused for the reason beside it; the basin has state when they arrive
EDGES: list[tuple[bytes, DeadLetterReason]] = [
    (reading_bytes("toy-G1", 900, sequence=2**63), DeadLetterReason.SCHEMA_VIOLATION),
    (reading_bytes("toy-G1", 901, sequence=10**30), DeadLetterReason.SCHEMA_VIOLATION),
    (
        reading_bytes("toy-G2", 902, observed_at="0001-01-01T00:00:00Z"),
        DeadLetterReason.OUT_OF_BOUNDS,
    ),
    (
        reading_bytes("toy-G2", 903, observed_at="9999-12-31T23:59:59.999999+00:00"),
        DeadLetterReason.OUT_OF_BOUNDS,
    ),
    (  # inside the schema's window, but in the future
        reading_bytes("toy-G3", 904, observed_at="2099-12-30T00:00:00Z"),
        DeadLetterReason.OUT_OF_BOUNDS,
    ),
    (reading_bytes("toy-G3", 905, rainfall_mm=1e308), DeadLetterReason.OUT_OF_BOUNDS),
    (reading_bytes("toy-G3", 906, gauge_id=""), DeadLetterReason.SCHEMA_VIOLATION),
    (b"[" * 4_000, DeadLetterReason.INVALID_JSON),
    (b'{"a":' * 600 + b"1" + b"}" * 600, DeadLetterReason.INVALID_JSON),
    (b"\xff\xfe\x00\x01", DeadLetterReason.NOT_UTF8),
    (b"", DeadLetterReason.INVALID_JSON),
]


def test_edge_of_type_readings_are_dead_lettered_and_the_partition_progresses(
    worker_settings: Settings, start_worker: WorkerFactory
) -> None:
    """Every message counted once (scored, dead-lettered, deduplicated), each refusal on the
    DLQ with its reason and original bytes, predictions as the offline reference, and readings
    after the bad ones still scored."""
    settings = worker_settings
    bootstrap = settings.bootstrap_servers
    first = _valid(range(0, 12))
    second = _valid(range(12, 30))
    # a sequence at the 64-bit bound is valid: scored, and the gauge's next reading restarts
    # its dedupe window (a gauge reset) instead of being refused
    at_bound = second.index((b"toy", reading_bytes("toy-G3", 20, rain=3.0)))
    second[at_bound] = (b"toy", reading_bytes("toy-G3", 20, rain=3.0, sequence=2**63 - 1))
    duplicates = second[:6:2]
    mixed = [*second[:20], *((b"toy", value) for value, _ in EDGES), *duplicates, *second[20:]]
    third = _valid(range(30, 40))

    worker = start_worker(settings)
    produce(bootstrap, settings.topic_readings, first)
    wait_for_accounting(bootstrap, settings.app_id, lambda s: s.totals.total >= len(first))
    produce(bootstrap, settings.topic_readings, mixed)
    counted = len(first) + len(mixed)
    wait_for_accounting(bootstrap, settings.app_id, lambda s: s.totals.total >= counted)
    produce(bootstrap, settings.topic_readings, third)
    messages = [*first, *mixed, *third]
    snapshot = wait_for_accounting(
        bootstrap, settings.app_id, lambda s: s.totals.total >= len(messages)
    )

    assert worker.running
    totals = snapshot.totals
    valid = len(first) + len(second) + len(third)
    assert totals.total == len(messages)
    assert (totals.scored, totals.pending, totals.deduplicated) == (valid, 0, len(duplicates))
    assert totals.dead_lettered == Counter(reason.value for _, reason in EDGES)
    letters = [
        DeadLetter.model_validate_json(m.value())
        for m in consume_all(
            bootstrap, settings.topic_dead_letters, until=lambda ms: len(ms) >= len(EDGES)
        )
    ]
    assert sorted((bytes(dl.value), dl.reason) for dl in letters) == sorted(EDGES)
    assert all(dl.detail and dl.key == b"toy" for dl in letters)
    expected = reference_predictions(settings, messages)
    published = consume_all(
        bootstrap, settings.topic_predictions, until=lambda ms: len(ms) >= len(expected)
    )
    predictions = [FloodPathPrediction.model_validate_json(m.value()) for m in published]
    assert [prediction_key(p) for p in predictions] == expected
    # the partition progressed past the bad readings: its counts cover the last message (when
    # predictions are published depends on the model's paths, so no watermark is pinned here)
    assert [c.offset for c in snapshot.partitions.values() if c.total] == [len(messages) - 1]
    crashes = [
        e for e in worker.events() if e.get("event") in ("processing_error", "record_quarantined")
    ]
    assert crashes == []

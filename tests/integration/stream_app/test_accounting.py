"""Every reading fed to a real worker ends up scored, deduplicated or dead-lettered, once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from schemas import DeadLetter, DeadLetterReason, FloodPathPrediction
from schemas.settings import Settings
from stream_app.app import worker_data_dir
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.kafka_io import consume_all, produce, wait_for_accounting
from tests.integration.stream_app.reference import prediction_key, reference_predictions
from tests.unit.stream_app.readings import (
    TOY_GAUGES,
    gauge_pack,
    pack_bytes,
    reading_bytes,
    senml_record,
)

pytestmark = pytest.mark.integration

SLOTS = 40


def test_accounting_splits_valid_malformed_and_duplicate_readings(
    worker_settings: Settings, start_worker: WorkerFactory
) -> None:
    """K valid, M malformed and D duplicates give K scored, M dead letters (right reasons and
    original bytes) and D deduplicated, in the counts and on the topics; a SenML pack's readings
    count one by one (a bad record: a dead letter with the pack's bytes and its index)."""
    settings = worker_settings
    valid = [
        (b"toy", reading_bytes(g, s, rain=2.0 if 5 <= s < 15 else 0.0))
        for s in range(SLOTS)
        for g in TOY_GAUGES
    ]
    nan = reading_bytes("toy-G1", 500).replace(b'"rainfall_mm": 0.0', b'"rainfall_mm": NaN')
    malformed: list[tuple[bytes | None, bytes, DeadLetterReason]] = [
        (b"toy", b"{definitely not json", DeadLetterReason.INVALID_JSON),
        (b"toy", reading_bytes("toy-G1", 501, sequence="501"), DeadLetterReason.SCHEMA_VIOLATION),
        (b"toy", reading_bytes("toy-G1", 502, rainfall_mm=True), DeadLetterReason.SCHEMA_VIOLATION),
        (b"toy", nan, DeadLetterReason.OUT_OF_BOUNDS),
        (b"toy", reading_bytes("toy-G1", 503, rain=151.0), DeadLetterReason.OUT_OF_BOUNDS),
        (b"toy", reading_bytes("toy-G7", 504), DeadLetterReason.UNKNOWN_GAUGE),
        (
            b"nowhere",
            reading_bytes("n-G1", 505, basin_id="nowhere"),
            DeadLetterReason.UNKNOWN_BASIN,
        ),
        (b"toy", b'{"pad": "' + b"x" * 5_000 + b'"}', DeadLetterReason.OVERSIZE),
        (b"toy", b'{"gauge_id": "\xc3\x28"}', DeadLetterReason.NOT_UTF8),
        (None, reading_bytes("toy-G2", 506), DeadLetterReason.KEY_MISMATCH),
    ]
    duplicates = valid[10:25:3]
    # SenML packs after the single readings: one per gauge per hour, then a pack of the next
    # slot with one bad record and one copy, then a pack that is not JSON at all.
    packs = [
        (b"toy", gauge_pack(g, range(first, first + 4), rain=lambda s: 1.0))
        for first in (SLOTS, SLOTS + 4)
        for g in TOY_GAUGES
    ]
    last = SLOTS + 8
    mixed_records = [senml_record(g, last, 0.5) for g in TOY_GAUGES]
    mixed_records.append({**senml_record("toy-G1", last + 1), "u": "in"})  # index 3: bad unit
    mixed_records.append(senml_record("toy-G2", last - 1, 1.0))  # index 4: a copy
    mixed = pack_bytes(mixed_records)
    unreadable = b'[{"bn": "urn:dev:floodcast:toy:toy-G1:", "v": '
    packs += [(b"toy", mixed), (b"toy", unreadable)]
    pack_letters = [
        (mixed, 3, DeadLetterReason.SCHEMA_VIOLATION),
        (unreadable, None, DeadLetterReason.INVALID_JSON),
    ]
    pack_readings = 4 * 2 * len(TOY_GAUGES) + len(mixed_records) + 1  # the unreadable: one
    # Interleave so the bad and repeated messages arrive among the good ones, in one partition.
    messages = valid[:30] + [(k, v) for k, v, _ in malformed] + duplicates + valid[30:] + packs

    worker = start_worker(settings)
    [start] = [event for event in worker.events() if event.get("event") == "worker_start"]
    assert start["event_loop"] == settings.worker_event_loop == "uvloop"
    assert worker_data_dir(settings).is_dir()
    assert worker_data_dir(settings).parent.stat().st_mode & 0o777 == 0o700
    assert not (Path.cwd() / f"{settings.app_id}-data").exists()
    produce(settings.bootstrap_servers, settings.topic_readings, messages)
    # every reading counts once, whether it came alone or in a pack
    expected_total = len(valid) + len(malformed) + len(duplicates) + pack_readings
    snapshot = wait_for_accounting(
        settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total >= expected_total
    )

    totals = snapshot.totals
    assert totals.total == expected_total
    assert totals.scored == len(valid) + 4 * 2 * len(TOY_GAUGES) + len(TOY_GAUGES)
    assert totals.pending == 0
    assert totals.deduplicated == len(duplicates) + 1
    assert totals.dead_lettered == Counter(
        [reason.value for _, _, reason in malformed] + [r.value for _, _, r in pack_letters]
    )

    letters = [
        DeadLetter.model_validate_json(m.value())
        for m in consume_all(
            settings.bootstrap_servers,
            settings.topic_dead_letters,
            until=lambda ms: len(ms) >= len(malformed) + len(pack_letters),
        )
    ]
    assert sorted((bytes(dl.value), dl.record_index, dl.reason) for dl in letters) == sorted(
        [(value, None, reason) for _, value, reason in malformed] + pack_letters
    )
    assert all(dl.topic == settings.topic_readings for dl in letters)
    assert {bytes(dl.key) if dl.key is not None else None for dl in letters} == {
        key for key, _, _ in malformed
    }

    expected = reference_predictions(settings, messages)
    published = consume_all(
        settings.bootstrap_servers,
        settings.topic_predictions,
        until=lambda ms: len(ms) >= len(expected),
    )
    predictions = [FloodPathPrediction.model_validate_json(m.value()) for m in published]
    assert [prediction_key(p) for p in predictions] == expected
    assert predictions[0].watermark.isoformat() == "2026-01-01T00:15:00+00:00"
    assert any(p.reaches for p in predictions)

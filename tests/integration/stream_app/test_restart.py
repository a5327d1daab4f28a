"""A worker stopped mid-stream and started again loses and repeats nothing."""

from __future__ import annotations

import threading
import time

import pytest

from schemas import FloodPathPrediction
from schemas.settings import Settings
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.kafka_io import (
    consume_all,
    consume_to_end,
    produce,
    wait_for_accounting,
)
from tests.integration.stream_app.reference import prediction_key, reference_predictions
from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SLOTS = 1_200  # 12.5 days of 15-minute readings from three gauges
CHUNK_SLOTS = 50


def _rain(slot: int) -> float:
    """A storm every two days, so paths appear, change and clear across the restart."""
    return 2.5 if slot % 192 in range(20, 36) else 0.0


def test_graceful_restart_recovers_state_and_counts_each_reading_once(
    worker_settings: Settings, start_worker: WorkerFactory
) -> None:
    """SIGTERM while readings flow, then a new worker: its tables resume where the first
    stopped, so counts and predictions equal one uninterrupted run's."""
    settings = worker_settings
    messages = [
        (b"toy", reading_bytes(g, s, rain=_rain(s))) for s in range(SLOTS) for g in TOY_GAUGES
    ]
    first = start_worker(settings)

    def feed() -> None:
        for start in range(0, len(messages), CHUNK_SLOTS * len(TOY_GAUGES)):
            produce(
                settings.bootstrap_servers,
                settings.topic_readings,
                messages[start : start + CHUNK_SLOTS * len(TOY_GAUGES)],
            )
            time.sleep(0.15)

    feeder = threading.Thread(target=feed, name="feed-readings")
    feeder.start()
    try:
        wait_for_accounting(
            settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total >= 600
        )
        assert first.stop() == 0
        stopped_at = wait_for_accounting(
            settings.bootstrap_servers, settings.app_id, lambda s: True
        ).totals.total
        second = start_worker(settings)
    finally:
        feeder.join()
    assert 600 <= stopped_at < len(messages), "the stop must fall in the middle of the stream"

    snapshot = wait_for_accounting(
        settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total >= len(messages)
    )
    totals = snapshot.totals
    assert (totals.total, totals.scored, totals.pending) == (len(messages), len(messages), 0)
    assert (totals.deduplicated, totals.dead_letters) == (0, 0)

    expected = reference_predictions(settings, messages)
    published = consume_all(
        settings.bootstrap_servers,
        settings.topic_predictions,
        until=lambda ms: len(ms) >= len(expected),
    )
    time.sleep(1.0)  # anything published twice would have arrived by now
    published = consume_to_end(settings.bootstrap_servers, settings.topic_predictions)
    keys = [prediction_key(FloodPathPrediction.model_validate_json(m.value())) for m in published]
    assert keys == expected
    assert any(k[2] for k in keys[: len(keys) // 2]) and any(k[2] for k in keys[len(keys) // 2 :])
    assert second.running

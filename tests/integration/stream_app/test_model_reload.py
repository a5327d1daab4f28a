"""A release promoted while readings flow is swapped in without losing or repeating one."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from converters.releases import promote_package
from schemas import FloodPathPrediction
from schemas.settings import Settings
from tests.helpers.model_releases import write_release
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

SLOTS = 1_200
CHUNK_SLOTS = 40
GATE_SLOTS = 900
"""The feed waits here until the swap is seen, so readings reach both models."""


def _rain(slot: int) -> float:
    """A storm every two days, so paths appear and change before and after the swap."""
    return 2.5 if slot % 192 in range(20, 36) else 0.0


def test_promotion_mid_stream_swaps_the_model_and_scores_each_reading_once(
    worker_settings: Settings, start_worker: WorkerFactory, toy_package: Path, tmp_path: Path
) -> None:
    """Promote 0.0.2 while a worker on 0.0.1 scores a steady feed: later predictions name the
    new sha256, earlier ones the old, and counts and paths equal one unswapped run's."""
    pointer = tmp_path / "models" / "active.json"
    old = promote_package(toy_package, pointer)
    second = write_release(toy_package, tmp_path / "second", "0.0.2")
    settings = Settings(
        **{
            **worker_settings.model_dump(),
            "model_active_pointer": pointer,
            "model_watch_seconds": 0.5,
        }
    )
    messages = [
        (b"toy", reading_bytes(g, s, rain=_rain(s))) for s in range(SLOTS) for g in TOY_GAUGES
    ]
    worker = start_worker(settings)
    swapped = threading.Event()

    def feed() -> None:
        step = CHUNK_SLOTS * len(TOY_GAUGES)
        for start in range(0, len(messages), step):
            if start == GATE_SLOTS * len(TOY_GAUGES):
                swapped.wait(60)
            produce(
                settings.bootstrap_servers, settings.topic_readings, messages[start : start + step]
            )
            time.sleep(0.1)

    feeder = threading.Thread(target=feed, name="feed-readings")
    feeder.start()
    try:
        wait_for_accounting(
            settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total >= 600
        )
        new = promote_package(second, pointer)
        reloaded = worker.wait_for(lambda e: e.get("event") == "model_reloaded", 60)
        swapped.set()
    finally:
        swapped.set()
        feeder.join()
    assert reloaded["model_sha256"] == new.sha256
    assert reloaded["previous_sha256"] == old.sha256

    snapshot = wait_for_accounting(
        settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total >= len(messages)
    )
    totals = snapshot.totals
    assert (totals.total, totals.scored, totals.pending) == (len(messages), len(messages), 0)
    assert (totals.deduplicated, totals.dead_letters) == (0, 0)

    expected = reference_predictions(settings, messages)
    consume_all(
        settings.bootstrap_servers,
        settings.topic_predictions,
        until=lambda ms: len(ms) >= len(expected),
    )
    time.sleep(1.0)  # anything published twice would have arrived by now
    predictions = [
        FloodPathPrediction.model_validate_json(m.value())
        for m in consume_to_end(settings.bootstrap_servers, settings.topic_predictions)
    ]
    assert [prediction_key(p) for p in predictions] == expected
    shas = [p.model.sha256 for p in predictions]
    switch = shas.index(new.sha256)
    assert 0 < switch < len(shas)
    assert shas == [old.sha256] * switch + [new.sha256] * (len(shas) - switch)
    assert {p.model.version for p in predictions[switch:]} == {"0.0.2"}
    assert worker.running

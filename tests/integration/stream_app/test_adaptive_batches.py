"""Adaptive micro-batches: with a 30 s batch window, a light trickle of readings is processed
in well under the window, batch after batch."""

from __future__ import annotations

import time

import pytest

from schemas.settings import Settings
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.kafka_io import consume_all, produce, wait_for_accounting
from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes

pytestmark = pytest.mark.integration

WINDOW_S = 30.0


def test_a_batch_ends_when_nothing_more_is_buffered(
    worker_settings: Settings, start_worker: WorkerFactory
) -> None:
    settings = worker_settings.model_copy(
        update={"batch_window_seconds": WINDOW_S, "batch_adaptive": True}
    )
    start_worker(settings)
    began = time.monotonic()
    produce(
        settings.bootstrap_servers,
        settings.topic_readings,
        [(b"toy", reading_bytes(g, 0)) for g in TOY_GAUGES],
    )
    consume_all(settings.bootstrap_servers, settings.topic_predictions, until=len, timeout=WINDOW_S)
    first = time.monotonic() - began
    for slot in (1, 2):  # later batches are not held back either
        produce(
            settings.bootstrap_servers,
            settings.topic_readings,
            [(b"toy", reading_bytes(g, slot)) for g in TOY_GAUGES],
        )
    wait_for_accounting(
        settings.bootstrap_servers,
        settings.app_id,
        lambda s: s.totals.total == 3 * len(TOY_GAUGES),
        timeout=WINDOW_S,
    )
    total = time.monotonic() - began
    assert first < WINDOW_S / 2
    assert total < WINDOW_S

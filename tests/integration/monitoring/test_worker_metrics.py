"""The worker's Prometheus endpoint agrees with its accounting."""

from __future__ import annotations

import socket
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from schemas.settings import Settings
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.kafka_io import produce, wait_for_accounting
from tests.unit.stream_app.readings import TOY_GAUGES, reading_bytes

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """``(sample name, sorted labels) -> value`` of every sample on ``/metrics``."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def gauge_ids(metrics: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> set[str]:
    """Gauges with a last-reading age on the scraped endpoint."""
    return {
        dict(labels)["gauge_id"]
        for (name, labels), _ in metrics.items()
        if name == "floodcast_gauge_last_reading_age_seconds"
    }


def test_scraped_counters_equal_the_accounting(
    worker_settings: Settings, start_worker: WorkerFactory
) -> None:
    """After valid, malformed and duplicate readings, the scraped readings-by-outcome and
    dead-letter counters equal the accounting counts; batch, latency, model and process
    metrics are exported."""
    port = free_port()
    settings = worker_settings.model_copy(
        update={"metrics_enabled": True, "metrics_port": port, "monitor_interval_seconds": 0.5}
    )
    valid = [(b"toy", reading_bytes(g, s, rain=3.0)) for s in range(30) for g in TOY_GAUGES]
    bad = [(b"toy", b"{nope"), (b"toy", reading_bytes("toy-G9", 3))] * 5
    messages = valid[:40] + bad + valid[5:12] + valid[40:]
    start_worker(settings)
    produce(settings.bootstrap_servers, settings.topic_readings, messages)
    snapshot = wait_for_accounting(
        settings.bootstrap_servers, settings.app_id, lambda s: s.totals.total >= len(messages)
    )
    totals = snapshot.totals

    deadline = time.monotonic() + 30
    # The endpoint copies the table once a second; the gauges' ages come from the monitor
    # thread's own tail of the readings topic, a round or two (0.5 s each) after they arrive.
    while True:
        metrics = scrape(port)
        scored = metrics.get(("floodcast_readings_total", (("outcome", "scored"),)))
        seen = scored == totals.scored and set(TOY_GAUGES) <= gauge_ids(metrics)
        if seen or time.monotonic() > deadline:
            break
        time.sleep(0.3)

    def readings(outcome: str) -> float:
        return metrics[("floodcast_readings_total", (("outcome", outcome),))]

    assert readings("scored") == totals.scored == len(valid)
    assert readings("deduplicated") == totals.deduplicated == 7
    assert readings("dead_lettered") == totals.dead_letters == len(bad)
    assert {
        labels[0][1]: value
        for (name, labels), value in metrics.items()
        if name == "floodcast_dead_letters_total"
    } == dict(totals.dead_lettered)
    assert metrics[("floodcast_batch_size_count", ())] >= 1
    assert metrics[("floodcast_batch_size_sum", ())] == len(messages)
    predictions = metrics[("floodcast_predictions_published_total", ())]
    assert predictions >= 1
    assert metrics[("floodcast_gauge_to_prediction_seconds_count", ())] == predictions
    model = [labels for (name, labels), _ in metrics.items() if name == "floodcast_model_info"]
    assert model and dict(model[0])["name"] == "floodcast-toy"
    assert metrics[("process_resident_memory_bytes", ())] > 0
    partitions = {
        (dict(labels)["topic"], dict(labels)["partition"])
        for (name, labels), _ in metrics.items()
        if name == "floodcast_consumer_lag_messages"
    }
    inputs = (settings.topic_readings, settings.topic_river_levels, settings.topic_rain_forecasts)
    assert partitions == {(topic, partition) for topic in inputs for partition in ("0", "1")}
    assert set(TOY_GAUGES) <= gauge_ids(metrics)

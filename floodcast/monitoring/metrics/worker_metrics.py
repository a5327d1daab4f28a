"""The worker's Prometheus metrics, in a registry of their own."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    start_http_server,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from floodcast.monitoring.exceptions import MetricsServerError
from floodcast.monitoring.monitor import MonitorReport
from stream_app.accounting.partition_counts import PartitionCounts

__all__ = ["CountsSource", "WorkerMetrics"]

CountsSource = Callable[[], PartitionCounts]
"""``counts() -> the accounting totals this worker holds`` (read at scrape time)."""

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
_BATCH_BUCKETS = (1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500)
_P99_WINDOW_SECONDS = 300.0


class _AccountingCollector(Collector):
    """Readings by outcome, straight from the accounting counts, so the two cannot disagree.

    The counts are persisted in the worker's changelog, so these counters also survive a
    restart (Prometheus sees no reset) and never count a replayed reading twice.
    """

    def __init__(self, counts: CountsSource) -> None:
        self.counts = counts

    def collect(self) -> Iterator[Metric]:
        totals = self.counts()
        readings = CounterMetricFamily(
            "floodcast_readings",
            "Consumed readings by final outcome (scored, deduplicated, dead_lettered).",
            labels=["outcome"],
        )
        readings.add_metric(["scored"], totals.scored)
        readings.add_metric(["deduplicated"], totals.deduplicated)
        readings.add_metric(["dead_lettered"], totals.dead_letters)
        yield readings
        letters = CounterMetricFamily(
            "floodcast_dead_letters", "Dead-lettered readings by reason.", labels=["reason"]
        )
        for reason, count in sorted(totals.dead_lettered.items()):
            letters.add_metric([reason], count)
        yield letters
        pending = GaugeMetricFamily(
            "floodcast_readings_pending", "Readings accepted into slots not final yet."
        )
        pending.add_metric([], totals.pending)
        yield pending


class WorkerMetrics:
    """Every metric the worker exports, and the methods that update them.

    Args:
        counts: the accounting totals, read at each scrape.
        model: ``name``, ``version`` and ``sha256`` of the deployed model.
        clock: wall clock in epoch seconds.
    """

    def __init__(
        self,
        counts: CountsSource,
        model: dict[str, str],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.clock = clock
        self._server: WSGIServer | None = None
        self.registry = CollectorRegistry()
        self.registry.register(_AccountingCollector(counts))
        ProcessCollector(registry=self.registry)  # process_resident_memory_bytes, ..._cpu_...
        reg = self.registry
        self.predictions = Counter(
            "floodcast_predictions_published", "Flood-path predictions published.", registry=reg
        )
        self.batch_size = Histogram(
            "floodcast_batch_size", "Records per micro-batch.", buckets=_BATCH_BUCKETS, registry=reg
        )
        self.processing = Histogram(
            "floodcast_batch_processing_seconds",
            "Time to decode, slot, score and account one micro-batch.",
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.latency = Histogram(
            "floodcast_gauge_to_prediction_seconds",
            "From a reading reaching Kafka to the prediction it completed being issued.",
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.lag = Gauge(
            "floodcast_consumer_lag_messages",
            "Messages (readings, river levels, rain forecasts) not yet consumed by the worker "
            "group, per topic and partition.",
            ["topic", "partition"],
            registry=reg,
        )
        self.lag_seconds = Gauge(
            "floodcast_consumer_lag_seconds",
            "Age of the oldest message not yet consumed, per topic and partition.",
            ["topic", "partition"],
            registry=reg,
        )
        self.gauge_silence = Gauge(
            "floodcast_gauge_last_reading_age_seconds",
            "Seconds since each gauge's last reading reached Kafka.",
            ["gauge_id", "basin_id"],
            registry=reg,
        )
        self.csi = Gauge(
            "floodcast_prediction_csi",
            "Rolling critical success index of verified reach forecasts (NaN until the window "
            "holds its minimum, or while nothing in it was warned or flooded).",
            registry=reg,
        )
        self.brier = Gauge(
            "floodcast_prediction_brier_score",
            "Rolling Brier score of verified reach forecasts (NaN until the window holds its "
            "minimum).",
            registry=reg,
        )
        # NaN until the window is ready: it compares false, so no rule fires on a 0 at start
        self.csi.set(math.nan)
        self.brier.set(math.nan)
        self.verified = Gauge(
            "floodcast_verified_forecasts",
            "Verified reach forecasts in the rolling accuracy window.",
            registry=reg,
        )
        self.model = Info("floodcast_model", "The deployed model package.", registry=reg)
        self.model.info(model)
        self._latencies: deque[tuple[float, float]] = deque(maxlen=10_000)

    def set_model(self, model: dict[str, str]) -> None:
        """Show ``model`` (``name``, ``version``, ``sha256``) as the deployed model."""
        self.model.info(model)

    def observe_batch(
        self, records: int, seconds: float, predictions: int, latencies: Sequence[float]
    ) -> None:
        """Record one micro-batch: its size, processing time, predictions and their latencies."""
        self.batch_size.observe(records)
        self.processing.observe(seconds)
        self.predictions.inc(predictions)
        now = self.clock()
        for latency in latencies:
            self.latency.observe(latency)
            self._latencies.append((now, latency))

    def latency_p99(self) -> float | None:
        """p99 of gauge-to-prediction latency over the last five minutes (``None``: none)."""
        cutoff = self.clock() - _P99_WINDOW_SECONDS
        recent = sorted(v for at, v in self._latencies if at >= cutoff)
        if not recent:
            return None
        return recent[min(len(recent) - 1, int(0.99 * len(recent)))]

    def observe_report(self, report: MonitorReport) -> None:
        """Copy a monitor round's lag, gauge silence and accuracy into their gauges."""
        if report.lag is not None:
            for row in report.lag.partitions:
                self.lag.labels(row.topic, str(row.partition)).set(row.lag)
                self.lag_seconds.labels(row.topic, str(row.partition)).set(row.seconds)
        for gauge_id, (basin_id, age) in report.gauge_ages.items():
            self.gauge_silence.labels(gauge_id, basin_id).set(age)
        if (accuracy := report.accuracy) is not None:
            self.verified.set(accuracy.forecasts)
            if accuracy.ready:
                self.csi.set(math.nan if accuracy.csi is None else accuracy.csi)
                self.brier.set(accuracy.brier)

    def serve(self, port: int, addr: str) -> None:
        """Serve ``/metrics`` on ``addr:port`` from a daemon thread, until :meth:`close`.

        Raises:
            MetricsServerError: the port cannot be bound.
        """
        try:
            self._server, _ = start_http_server(port, addr=addr, registry=self.registry)
        except OSError as exc:
            raise MetricsServerError(f"cannot serve metrics on {addr}:{port}: {exc}") from exc

    def close(self) -> None:
        """Stop serving ``/metrics`` (no-op when not serving)."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

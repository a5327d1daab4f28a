"""Monitoring inside the stream worker: metrics endpoint, batch observations, lag monitor."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import faust
from faust.types import EventT

from floodcast.monitoring.channels.kafka_channel import KafkaAlertChannel
from floodcast.monitoring.channels.log_channel import LogAlertChannel
from floodcast.monitoring.exceptions import MonitoringError
from floodcast.monitoring.metrics.worker_metrics import WorkerMetrics
from floodcast.monitoring.monitor import Monitor
from floodcast.monitoring.signals.process_usage import ProcessUsage
from schemas.settings import Settings
from stream_app.accounting.accounting_reader import PARTITION_COUNTS_TABLE
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.json_logging import log_event
from stream_app.kafka import security_config
from stream_app.processing import BatchResult
from stream_app.scoring.flood_scorer import ModelIdentity

__all__ = ["WorkerMonitoring"]

logger = logging.getLogger("monitoring")

_SNAPSHOT_SECONDS = 1.0


class WorkerMonitoring:
    """Metrics and alerts of one worker process.

    Usage: pass :meth:`observe_batch` and :meth:`observe_model` to
    ``create_app(..., on_batch=..., on_model=...)``, then
    :meth:`attach` the app, :meth:`start` before running it and :meth:`stop` after.

    Args:
        settings: ports, switches, thresholds.
        model: the deployed model's identity (exported as an info metric).
    """

    def __init__(self, settings: Settings, model: ModelIdentity) -> None:
        self.settings = settings
        self._totals = PartitionCounts()
        self.metrics = WorkerMetrics(
            lambda: self._totals,
            {"name": model.name, "version": model.version, "sha256": model.sha256},
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def observe_batch(self, events: Sequence[EventT], result: BatchResult, seconds: float) -> None:
        """Record a processed micro-batch (called by the agent after each one)."""
        newest: dict[bytes | None, float] = {}
        for event in events:
            message = event.message
            newest[message.key] = max(newest.get(message.key, 0.0), message.timestamp)
        now = time.time()
        latencies = [
            max(now - newest[key], 0.0)
            for key in (p.basin_id.encode() for p in result.predictions)
            if key in newest
        ]
        self.metrics.observe_batch(len(events), seconds, len(result.predictions), latencies)

    def observe_model(self, model: ModelIdentity) -> None:
        """Show a newly swapped-in model in the model info metric."""
        self.metrics.set_model(
            {"name": model.name, "version": model.version, "sha256": model.sha256}
        )

    def attach(self, app: faust.App) -> None:
        """Keep a copy of the accounting table's totals for scrapes (read on the event loop)."""
        table = app.tables[PARTITION_COUNTS_TABLE]

        @app.timer(interval=_SNAPSHOT_SECONDS)
        async def snapshot_accounting() -> None:
            self._totals = PartitionCounts.summed(
                PartitionCounts.from_bytes(value) for value in table.values()
            )

    def start(self) -> None:
        """Serve metrics and start the lag monitor thread, as the settings ask.

        Neither failing stops the worker: scoring matters more than watching it.
        """
        settings = self.settings
        if settings.metrics_enabled:
            try:
                self.metrics.serve(settings.metrics_port, settings.metrics_host)
                address = f"{settings.metrics_host}:{settings.metrics_port}"
                log_event(logger, "metrics_serving", address=address)
            except MonitoringError as exc:
                log_event(logger, "metrics_server_failed", logging.ERROR, error=str(exc))
        if settings.monitor_in_worker:
            self._thread = threading.Thread(target=self._monitor, name="lag-monitor", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the monitor thread and the metrics server."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.metrics.close()

    def _monitor(self) -> None:
        settings = self.settings
        channels = [
            KafkaAlertChannel(
                settings.bootstrap_servers,
                settings.topic_alerts,
                security=security_config(settings),
            ),
            LogAlertChannel(),
        ]
        watcher = Monitor(
            settings,
            channels,
            usage=ProcessUsage(),
            latency_p99=self.metrics.latency_p99,
        )
        try:
            watcher.run(self._stop, on_report=self.metrics.observe_report)
        except Exception:  # a monitoring bug must not take the worker down
            logger.exception("monitor_failed")
        finally:
            watcher.close()

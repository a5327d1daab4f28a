"""The lag and health monitor: reads the broker, evaluates alert rules, sends transitions.

It needs nothing from a running worker (lag is largest exactly when no worker runs), so the
same class runs standalone (``floodcast monitor``) and in a worker thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from floodcast.monitoring.accuracy.accuracy_feed import AccuracyFeed
from floodcast.monitoring.accuracy.accuracy_tracker import AccuracyScores, AccuracyTracker
from floodcast.monitoring.accuracy.package_reaches import (
    package_basins,
    package_gauges,
    package_reaches,
)
from floodcast.monitoring.alerts.alert_engine import AlertEngine
from floodcast.monitoring.alerts.alert_rule import Sample
from floodcast.monitoring.alerts.default_rules import default_rules
from floodcast.monitoring.channels.alert_channel import AlertChannel
from floodcast.monitoring.exceptions import BrokerQueryError
from floodcast.monitoring.lag.lag_reader import LagReader
from floodcast.monitoring.lag.lag_window import LagWindow
from floodcast.monitoring.lag.partition_lag import GroupLag, GroupStatus
from floodcast.monitoring.signals.accounting_tail import AccountingTail
from floodcast.monitoring.signals.error_rate import ErrorRate
from floodcast.monitoring.signals.gauge_activity import GaugeActivity
from floodcast.monitoring.signals.process_usage import ProcessUsage
from floodcast.monitoring.signals.topic_tail import TopicTail
from schemas import OpsAlert
from schemas.settings import Settings
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.json_logging import log_event
from stream_app.kafka import security_config

__all__ = ["Monitor", "MonitorReport", "ReportCallback"]


@dataclass(frozen=True)
class MonitorReport:
    """Lag, status, error share, gauge silence, accuracy and alerts of one round (epoch s)."""

    at: float
    lag: GroupLag | None
    """``None`` when the broker could not be asked this round."""
    status: GroupStatus
    partition_status: Mapping[tuple[str, int], GroupStatus]
    counts: PartitionCounts
    error_share: float | None
    gauge_ages: Mapping[str, tuple[str, float]]
    emitted: tuple[OpsAlert, ...] = ()
    firing: tuple[tuple[str, Mapping[str, str], float, float], ...] = field(default=())
    accuracy: AccuracyScores | None = None
    """Rolling scores of verified predictions; ``None`` before any was verified."""


logger = logging.getLogger("monitoring")

ReportCallback = Callable[[MonitorReport], None]
"""``on_report(report)``: called after every round."""

_GAUGE_LOOKBACK_FACTOR = 3.0
"""Readings this many offline thresholds old are read at start, so silent gauges are known."""
_ACCURACY_LOOKBACK_SECONDS = 7 * 24 * 3600.0
"""Predictions and observations this old are read at start, so the window refills at once."""


class Monitor:
    """Watches worker group ``settings.app_id`` on the readings topic.

    Each :meth:`poll` reads the group's lag, the accounting changelog (dead-letter share),
    new readings (gauge silence), and new predictions and flood observations (rolling CSI and
    Brier score of verified predictions), then feeds the alert engine. ``usage`` adds memory
    and CPU samples of the process it watches (the worker's own monitor passes its process).

    Args:
        settings: broker, topics, app id, thresholds and timings.
        channels: where alert transitions go.
        usage: process to sample for memory/CPU alerts; ``None`` for none.
        latency_p99: current gauge-to-prediction p99 in seconds (``None``: no data).
        clock: wall clock in epoch seconds.
    """

    def __init__(
        self,
        settings: Settings,
        channels: Sequence[AlertChannel],
        *,
        usage: ProcessUsage | None = None,
        latency_p99: Callable[[], float | None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.usage = usage
        self.latency_p99 = latency_p99
        bootstrap = settings.bootstrap_servers
        self.group = settings.app_id
        self.topics = (
            settings.topic_readings,
            settings.topic_river_levels,
            settings.topic_rain_forecasts,
        )
        """The worker's input topics: the lag of each is watched (one missing is left out)."""
        security = security_config(settings)
        self.lag_reader = LagReader(bootstrap, clock=clock, security=security)
        self.window = LagWindow(settings.monitor_lag_window)
        self.accounting = AccountingTail(bootstrap, settings.app_id, security=security)
        self.errors = ErrorRate(settings.alert_error_window_seconds)
        lookback = _GAUGE_LOOKBACK_FACTOR * settings.alert_gauge_offline_seconds
        self.readings = TopicTail(
            bootstrap, settings.topic_readings, since=clock() - lookback, security=security
        )
        basins = package_basins(settings.model_path)
        # issue 13: only the package's gauges, so forged gauge ids cost no memory nor alerts
        self.gauges = GaugeActivity(package_gauges(basins))
        tracker = AccuracyTracker(
            settings.accuracy_window_forecasts,
            settings.accuracy_min_forecasts,
            package_reaches(basins),
        )
        self.accuracy = AccuracyFeed(
            bootstrap,
            settings.topic_predictions,
            settings.topic_observations,
            tracker,
            since=clock() - _ACCURACY_LOOKBACK_SECONDS,
            security=security,
        )
        self.engine = AlertEngine(default_rules(settings), channels, clock)
        self._status = GroupStatus.OK

    def poll(self) -> MonitorReport:
        """Run one round and return what it saw (broker failures are logged, not raised)."""
        lag = self._read_lag()
        counts = self._read_counts()
        accuracy = self._read_accuracy()
        now = self.clock()
        share = self.errors.share(now)
        ages = self.gauges.ages(now)
        samples = [*self._samples(lag, share, ages), *self.accuracy.tracker.samples()]
        emitted = self.engine.evaluate(samples, now)
        status = self.window.status
        log_event(
            logger,
            "monitor_round",
            logging.DEBUG,
            lag=lag.total if lag else None,
            lag_seconds=lag.max_seconds if lag else None,
            status=status.name,
            counted=counts.total,
            dead_letters=counts.dead_letters,
            error_share=share,
            gauges=len(ages),
            csi=accuracy.csi if accuracy else None,
            brier=accuracy.brier if accuracy else None,
        )
        if status is not self._status:
            log_event(
                logger,
                "lag_status",
                group=self.group,
                status=status.name,
                previous=self._status.name,
                lag=lag.total if lag else None,
            )
            self._status = status
        return MonitorReport(
            at=now,
            lag=lag,
            status=status,
            partition_status=self.window.partition_status(),
            counts=counts,
            error_share=share,
            gauge_ages=ages,
            accuracy=accuracy,
            emitted=tuple(emitted),
            firing=tuple(self.engine.firing()),
        )

    def run(self, stop: threading.Event, on_report: ReportCallback | None = None) -> None:
        """Poll every ``monitor_interval_seconds`` until ``stop`` is set."""
        interval = self.settings.monitor_interval_seconds
        while not stop.is_set():
            began = time.monotonic()
            try:
                report = self.poll()
            except Exception:  # a failed round must not silence the next ones (issue 12)
                logger.exception("monitor_round_failed")
            else:
                if on_report is not None:
                    on_report(report)
            stop.wait(max(interval - (time.monotonic() - began), 0.0))

    def close(self) -> None:
        """Close the broker clients and the alert channels."""
        self.lag_reader.close()
        self.accounting.close()
        self.readings.close()
        self.accuracy.close()
        self.engine.close()

    def _read_lag(self) -> GroupLag | None:
        try:
            lag = self.lag_reader.read(self.group, self.topics)
        except BrokerQueryError as exc:
            log_event(logger, "lag_read_failed", logging.WARNING, group=self.group, error=str(exc))
            return None
        self.window.add(lag)
        return lag

    def _read_counts(self) -> PartitionCounts:
        try:
            self.gauges.observe(self.readings.poll())
            totals = self.accounting.poll()
        except BrokerQueryError as exc:
            log_event(logger, "tail_failed", logging.WARNING, error=str(exc))
            return self.accounting.totals
        self.errors.add(self.clock(), total=totals.total, dead_letters=totals.dead_letters)
        return totals

    def _read_accuracy(self) -> AccuracyScores | None:
        try:
            return self.accuracy.poll()
        except BrokerQueryError as exc:
            log_event(logger, "accuracy_read_failed", logging.WARNING, error=str(exc))
            return self.accuracy.tracker.scores()

    def _samples(
        self, lag: GroupLag | None, share: float | None, ages: Mapping[str, tuple[str, float]]
    ) -> Iterator[Sample]:
        group = {"group": self.group}
        if lag is not None:
            yield Sample("consumer_lag_messages", float(lag.total), group)
            yield Sample("consumer_lag_seconds", lag.max_seconds, group)
        if share is not None:
            yield Sample("error_rate", share, group)
        for gauge_id, (basin_id, age) in ages.items():
            yield Sample("gauge_offline", age, {"gauge_id": gauge_id, "basin_id": basin_id})
        if self.latency_p99 is not None and (p99 := self.latency_p99()) is not None:
            yield Sample("latency_p99", p99, group)
        if self.usage is not None:
            if (memory := self.usage.memory_mib()) is not None:
                yield Sample("memory", memory, group)
            if (cpu := self.usage.cpu_percent()) is not None:
                yield Sample("cpu", cpu, group)

"""Live events for the operator page: predictions, alerts and gauge activity, fanned out.

Followers on threads put events in; each server-sent-events stream takes them out on its own
event loop. The hub also keeps what a newly opened page needs at once: each basin's paths of
the last 24 h (by watermark), the open alerts, and when each gauge last reported.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from confluent_kafka import Message

from floodcast.monitoring.channels.kafka_channel import alert_key, record_transitions
from floodcast.monitoring.signals.gauge_activity import GaugeActivity
from schemas import FloodPathPrediction, OpsAlert

__all__ = ["LAG_ALERTS", "LiveEvent", "LiveHub", "Subscription", "encode_event", "json_event"]

LiveEvent = tuple[str, str]
"""A server-sent event: its name and its JSON data."""

LAG_ALERTS = frozenset({"consumer_lag_messages", "consumer_lag_seconds"})
"""Alert kinds that mean the worker is falling behind its input."""

Clock = Callable[[], float]
"""Wall-clock seconds since the epoch."""


class Subscription:
    """One stream's queue of events, read on the loop that opened it.

    A stream that falls ``maxsize`` events behind is closed (``closed`` turns true and the
    queue gets ``None``): the page reconnects and starts again from a fresh snapshot.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, maxsize: int) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[LiveEvent | None] = asyncio.Queue(maxsize + 1)
        self.maxsize = maxsize
        self.closed = False

    def offer(self, event: LiveEvent) -> None:
        """Queue ``event`` (on the subscription's loop)."""
        if self.closed:
            return
        if self.queue.qsize() >= self.maxsize:
            self.closed = True
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(event)


class LiveHub:
    """What the page shows live, and the streams it goes to.

    Args:
        history: how far back (in event time, from a basin's newest watermark) paths are kept.
        stale_after_seconds: a basin whose newest prediction was issued longer ago than this
            (or that has none after this long) is stale.
        offline_after_seconds: a gauge silent longer than this is offline.
        gauges: ``{gauge_id: basin_id}`` of the gauges to follow (the model package's); others
            on the readings topic are ignored, so forged ids cost neither memory nor markers.
        queue_size: events a stream may fall behind before it is closed.
        clock: wall clock (for tests).
    """

    def __init__(
        self,
        *,
        history: timedelta = timedelta(hours=24),
        stale_after_seconds: float = 3600.0,
        offline_after_seconds: float = 1800.0,
        gauges: Mapping[str, str] | None = None,
        queue_size: int = 1024,
        clock: Clock = time.time,
    ) -> None:
        self.history = history
        self.stale_after_seconds = stale_after_seconds
        self.offline_after_seconds = offline_after_seconds
        self._queue_size = queue_size
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._subscriptions: set[Subscription] = set()
        self._paths: dict[str, list[FloodPathPrediction]] = {}
        self._alerts: dict[bytes, OpsAlert] = {}
        self._gauges = GaugeActivity(gauges or {})
        self._feed_failures: dict[str, str] = {}

    # -- input, from the followers' threads -------------------------------------------------

    def add_prediction(self, prediction: FloodPathPrediction) -> None:
        """Keep ``prediction`` in its basin's history and send it to every stream."""
        order = (prediction.watermark, prediction.issued_at)
        with self._lock:
            paths = self._paths.setdefault(prediction.basin_id, [])
            keys = [(p.watermark, p.issued_at) for p in paths]
            at = bisect.bisect_left(keys, order)
            if at < len(paths) and keys[at] == order:
                return  # a replay of one already kept
            paths.insert(at, prediction)
            oldest = paths[-1].watermark - self.history
            while paths and paths[0].watermark < oldest:
                paths.pop(0)
        self._publish(("prediction", prediction.model_dump_json()))

    def add_alert_messages(self, messages: Iterable[Message]) -> None:
        """Take in ``ops-alerts`` messages; each alert transition goes to every stream."""
        for message in messages:
            latest: dict[bytes, OpsAlert] = {}
            record_transitions([message], latest)  # skips what is not an alert
            for key, alert in latest.items():
                self.add_alert(alert, key)

    def add_alert(self, alert: OpsAlert, key: bytes | None = None) -> None:
        """Note ``alert`` as the latest transition of its alert and send it to every stream."""
        with self._lock:
            self._alerts[key or alert_key(alert)] = alert
        self._publish(("alert", alert.model_dump_json()))

    def add_reading_messages(self, messages: Iterable[Message]) -> None:
        """Take in gauge readings (only who sent them and when they arrived is kept)."""
        with self._lock:
            self._gauges.observe(messages)

    def set_feed_failure(self, feed: str, failure: str | None) -> None:
        """Note that ``feed`` (alerts, gauge readings) failed, or reads again (``None``)."""
        with self._lock:
            if failure is None:
                self._feed_failures.pop(feed, None)
            else:
                self._feed_failures[feed] = failure

    # -- output -----------------------------------------------------------------------------

    def subscribe(self) -> Subscription:
        """A new stream's subscription, on the running event loop."""
        subscription = Subscription(asyncio.get_running_loop(), self._queue_size)
        with self._lock:
            self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subscriptions)

    def paths(self, basin_id: str) -> list[FloodPathPrediction]:
        """The basin's predictions of the last ``history`` of event time, oldest first."""
        with self._lock:
            return list(self._paths.get(basin_id, ()))

    def open_alerts(self) -> list[OpsAlert]:
        """Alerts whose latest transition is ``firing``, oldest first."""
        with self._lock:
            alerts = [a for a in self._alerts.values() if a.state == "firing"]
        return sorted(alerts, key=lambda a: a.since)

    def status(self, basin_ids: Iterable[str]) -> dict[str, object]:
        """Stale basins, whether consumer lag is high, each gauge's silence, failed feeds.

        Args:
            basin_ids: the basins the model serves.
        """
        now = self._clock()
        open_alerts = self.open_alerts()
        alerted = {a.labels.get("gauge_id") for a in open_alerts if a.kind == "gauge_offline"}
        with self._lock:
            newest = {b: paths[-1] for b, paths in self._paths.items() if paths}
            ages = self._gauges.ages(now)
            failures = dict(self._feed_failures)
        stale = []
        for basin_id in sorted(basin_ids):
            latest = newest.get(basin_id)
            since = latest.issued_at.timestamp() if latest is not None else self._started
            if now - since > self.stale_after_seconds:
                stale.append(basin_id)
        gauges = {
            gauge: {
                "basin_id": basin,
                "age_seconds": round(age, 1),
                "offline": age > self.offline_after_seconds or gauge in alerted,
            }
            for gauge, (basin, age) in sorted(ages.items())
        }
        return {
            "server_time": now,
            "stale_basins": stale,
            "stale_after_seconds": self.stale_after_seconds,
            "lag_high": any(a.kind in LAG_ALERTS for a in open_alerts),
            "gauges": gauges,
            "feed_failures": failures,
        }

    def _publish(self, event: LiveEvent) -> None:
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            try:
                subscription.loop.call_soon_threadsafe(subscription.offer, event)
            except RuntimeError:  # its loop has closed: the stream is gone
                self.unsubscribe(subscription)


def encode_event(event: LiveEvent) -> str:
    """``event`` in the text/event-stream format."""
    name, data = event
    return f"event: {name}\ndata: {data}\n\n"


def json_event(name: str, data: object) -> LiveEvent:
    """An event whose data is ``data`` as compact JSON."""
    return name, json.dumps(data, separators=(",", ":"), default=str)

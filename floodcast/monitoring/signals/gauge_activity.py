"""Seconds since each gauge's last reading, followed on the readings topic."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from confluent_kafka import Message

__all__ = ["GaugeActivity"]


class GaugeActivity:
    """When each gauge last reported, by the Kafka timestamps of its readings.

    Wall-clock arrival rather than the reading's event time: an operator asks whether the
    gauge is still talking, and a gauge replaying a backlog is.

    Readings that are not JSON objects with a string ``gauge_id`` are ignored (the worker
    dead-letters them; they say nothing reliable about who sent them), and so are gauges the
    model package does not know (issue 13): anyone who may write the readings topic could
    otherwise make every forged id a tracked gauge, a metric series and, once silent, an
    offline alert. The memory held is bounded by the package's gauges.

    Args:
        known: ``{gauge_id: basin_id}`` of every gauge to watch (the model package's); a
            reading's basin is taken from here, not from the reading.
    """

    def __init__(self, known: Mapping[str, str]) -> None:
        self._known = dict(known)
        self._last: dict[str, tuple[str, float]] = {}

    def observe(self, messages: Iterable[Message]) -> None:
        """Take in readings as consumed."""
        for message in messages:
            kind, millis = message.timestamp()
            if kind == 0 or millis < 0:
                continue
            ids = _ids(message.value())
            if ids is None:
                continue
            self.note(*ids, millis / 1000.0)

    def note(self, gauge_id: str, basin_id: str, seen: float) -> None:
        """Record one reading of ``gauge_id`` at ``seen`` (epoch seconds); unknown ids are ignored.

        ``basin_id`` is the reading's claim; only a reading from the gauge's own basin counts.
        """
        known_basin = self._known.get(gauge_id)
        if known_basin is None or known_basin != basin_id:
            return
        previous = self._last.get(gauge_id)
        if previous is None or previous[1] < seen:
            self._last[gauge_id] = (known_basin, seen)

    def ages(self, now: float) -> dict[str, tuple[str, float]]:
        """``gauge_id -> (basin_id, seconds since its last reading)`` for every gauge seen."""
        return {gauge: (basin, max(now - seen, 0.0)) for gauge, (basin, seen) in self._last.items()}


def _ids(value: bytes | None) -> tuple[str, str] | None:
    if not value:
        return None
    try:
        body = json.loads(value)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    gauge, basin = body.get("gauge_id"), body.get("basin_id")
    if not isinstance(gauge, str) or not gauge:
        return None
    return gauge, basin if isinstance(basin, str) else ""

"""Seconds since each gauge's last reading, followed on the readings topic."""

from __future__ import annotations

import json
from collections.abc import Iterable

from confluent_kafka import Message

__all__ = ["GaugeActivity"]


class GaugeActivity:
    """When each gauge last reported, by the Kafka timestamps of its readings.

    Wall-clock arrival rather than the reading's event time: an operator asks whether the
    gauge is still talking, and a gauge replaying a backlog is.

    Readings that are not JSON objects with a string ``gauge_id`` are ignored (the worker
    dead-letters them; they say nothing reliable about who sent them).
    """

    def __init__(self) -> None:
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
        """Record one reading of ``gauge_id`` at ``seen`` (epoch seconds)."""
        previous = self._last.get(gauge_id)
        if previous is None or previous[1] < seen:
            self._last[gauge_id] = (basin_id, seen)

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

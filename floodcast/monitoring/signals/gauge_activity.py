"""Seconds since each gauge's last reading, followed on the readings topic."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from confluent_kafka import Message
from pydantic import BaseModel, ConfigDict, ValidationError

from floodcast.monitoring.signals.kafka_time import kafka_time
from schemas._base import IDENTIFIER_PATTERN, Identifier

__all__ = ["GaugeActivity"]

_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)


class _Sender(BaseModel):
    """Who sent a reading: all the monitor needs of it; everything else is left unread."""

    model_config = ConfigDict(strict=True, extra="ignore")

    gauge_id: Identifier
    basin_id: object = None


class GaugeActivity:
    """When each gauge last reported, by the Kafka timestamps of its readings.

    Wall-clock arrival rather than the reading's event time: an operator asks whether the
    gauge is still talking, and a gauge replaying a backlog is.

    Readings that are not JSON objects with a valid ``gauge_id`` are skipped and counted in
    ``unreadable`` (the worker dead-letters them; they say nothing reliable about who sent
    them). Any bytes are read safely: pydantic's JSON parser bounds nesting depth (issue 12:
    ``json.loads`` raised ``RecursionError`` on one deeply nested value and stopped the monitor).
    Gauges the model package does not know are ignored (issue 13): anyone who may write the
    readings topic could otherwise make every forged id a tracked gauge, a metric series and,
    once silent, an offline alert. The memory held is bounded by the package's gauges.

    Args:
        known: ``{gauge_id: basin_id}`` of every gauge to watch (the model package's); a
            reading's basin is taken from here, not from the reading.
    """

    def __init__(self, known: Mapping[str, str]) -> None:
        self._known = dict(known)
        self._last: dict[str, tuple[str, float]] = {}
        self.unreadable = 0
        """Messages skipped: no timestamp, or no gauge id to be read from their value."""

    def observe(self, messages: Iterable[Message]) -> None:
        """Take in readings as consumed."""
        for message in messages:
            seen = kafka_time(message)
            ids = _ids(message.value()) if seen is not None else None
            if ids is None or seen is None:
                self.unreadable += 1
                continue
            self.note(*ids, seen)

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
    """``(gauge_id, basin_id)`` of a reading; the basin is ``""`` when it is not a valid id."""
    if not value:
        return None
    try:
        sender = _Sender.model_validate_json(value)
    except ValidationError:
        return None
    basin = sender.basin_id
    valid_basin = isinstance(basin, str) and _IDENTIFIER.match(basin) is not None
    return sender.gauge_id, basin if valid_basin else ""

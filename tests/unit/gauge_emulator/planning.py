"""Helpers: plan a run without Kafka, and judge its messages as a correct worker would."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from floodcast.catchment import Simulation
from floodcast.emulator import EmulatorConfig, MessagePlanner, StepBatch
from schemas import DeadLetterReason, GaugeReading, RejectedReadingError, decode_reading


def plan(
    simulations: Sequence[Simulation], **config: Any
) -> tuple[list[StepBatch], MessagePlanner]:
    """Every step batch of a run of ``simulations`` configured with ``config``."""
    planner = MessagePlanner(simulations, EmulatorConfig(**config))
    return list(planner), planner


def readings(batches: Sequence[StepBatch]) -> list[tuple[bytes, bytes]]:
    """All readings-topic messages of a run, in send order."""
    return [message for batch in batches for message in batch.readings]


@dataclass
class ReferenceWorker:
    """The checks a correct stream worker applies, in order, to each readings message.

    Decode; refuse unknown gauges; refuse a (gauge, sequence) already seen; refuse readings
    older than the basin's newest event time minus the allowed lateness; else accept.
    """

    gauges: dict[str, frozenset[str]]
    max_bytes: int
    lateness: timedelta
    accepted: list[GaugeReading] = field(default_factory=list)
    rejected: Counter[DeadLetterReason] = field(default_factory=Counter)
    _seen: set[tuple[str, int]] = field(default_factory=set)
    _newest: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def for_runs(
        cls, simulations: Sequence[Simulation], *, max_bytes: int, lateness_minutes: int
    ) -> ReferenceWorker:
        """A worker that knows the basins of ``simulations``."""
        gauges = {s.basin.basin_id: frozenset(s.basin.gauge_ids) for s in simulations}
        return cls(gauges, max_bytes, timedelta(minutes=lateness_minutes))

    def take(self, value: bytes) -> DeadLetterReason | None:
        """Judge one message; the dead-letter reason, or None when accepted."""
        try:
            reading = decode_reading(value, max_bytes=self.max_bytes)
        except RejectedReadingError as exc:
            return self._reject(exc.reason)
        if reading.gauge_id not in self.gauges.get(reading.basin_id, frozenset()):
            return self._reject(DeadLetterReason.UNKNOWN_GAUGE)
        if (reading.gauge_id, reading.sequence) in self._seen:
            return self._reject(DeadLetterReason.DUPLICATE)
        newest = self._newest.get(reading.basin_id, reading.observed_at)
        if reading.observed_at < newest - self.lateness:
            return self._reject(DeadLetterReason.TOO_LATE)
        self._seen.add((reading.gauge_id, reading.sequence))
        self._newest[reading.basin_id] = max(newest, reading.observed_at)
        self.accepted.append(reading)
        return None

    def _reject(self, reason: DeadLetterReason) -> DeadLetterReason:
        self.rejected[reason] += 1
        return reason

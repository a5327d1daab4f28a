"""Gauge readings as raw Kafka records, for processor tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from stream_app.processing import SourceRecord

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TOPIC = "gauge-readings"
TOY_GAUGES = ("toy-G1", "toy-G2", "toy-G3")


def reading_bytes(gauge: str, slot: int, rain: float = 0.0, **overrides: Any) -> bytes:
    """A valid 15-minute reading of ``gauge`` for slot ``slot`` after T0 (sequence = slot)."""
    body: dict[str, Any] = {
        "gauge_id": gauge,
        "basin_id": "toy",
        "sequence": slot,
        "observed_at": (T0 + timedelta(minutes=15 * (slot + 1))).isoformat(),
        "rainfall_mm": rain,
    }
    body.update(overrides)
    return json.dumps(body).encode()


class RecordLog:
    """Hands out records with increasing offsets per partition, like a topic would."""

    def __init__(self) -> None:
        self._next: dict[int, int] = {}

    def record(self, value: bytes, key: bytes | None = b"toy", partition: int = 0) -> SourceRecord:
        offset = self._next.get(partition, 0)
        self._next[partition] = offset + 1
        return SourceRecord(TOPIC, partition, offset, key, value)

    def slots(self, slots: range, rain=lambda slot: 0.0, partition: int = 0) -> list[SourceRecord]:
        """Every toy gauge reporting each slot in ``slots``."""
        return [
            self.record(reading_bytes(g, s, rain(s)), partition=partition)
            for s in slots
            for g in TOY_GAUGES
        ]

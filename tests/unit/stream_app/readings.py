"""Gauge readings as raw Kafka records, for processor tests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from stream_app.processing import SourceRecord

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TOPIC = "gauge-readings"
LEVELS_TOPIC = "river-levels"
FORECASTS_TOPIC = "rain-forecasts"
TOY_GAUGES = ("toy-G1", "toy-G2", "toy-G3")
TOY_SENSORS = {"toy-S02": "B", "toy-S04": "D"}
"""The toy basin's stage sensors and their reaches."""


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


def level_bytes(sensor: str, slot: int, stage: float = 0.5, **overrides: Any) -> bytes:
    """A valid river level of toy ``sensor`` observed at the end of slot ``slot`` after T0
    (sequence = slot)."""
    body: dict[str, Any] = {
        "sensor_id": sensor,
        "basin_id": "toy",
        "reach_id": TOY_SENSORS.get(sensor, "A"),
        "sequence": slot,
        "observed_at": (T0 + timedelta(minutes=15 * (slot + 1))).isoformat(),
        "stage_m": stage,
    }
    body.update(overrides)
    return json.dumps(body).encode()


def forecast_bytes(
    slot: int,
    rain_mm: Sequence[Sequence[float]],
    areas: Sequence[str] = TOY_GAUGES,
    **overrides: Any,
) -> bytes:
    """A valid toy rain forecast issued at the end of slot ``slot`` after T0, ``rain_mm``
    (FORECAST_STEPS, areas) per step and area; its id names the slot."""
    body: dict[str, Any] = {
        "forecast_id": f"toy-{slot}",
        "basin_id": "toy",
        "issued_at": (T0 + timedelta(minutes=15 * (slot + 1))).isoformat(),
        "areas": [
            {"area_id": area, "rain_mm": [float(step[a]) for step in rain_mm]}
            for a, area in enumerate(areas)
        ],
    }
    body.update(overrides)
    return json.dumps(body).encode()


class RecordLog:
    """Hands out records with increasing offsets per topic partition, like topics would."""

    def __init__(self) -> None:
        self._next: dict[tuple[str, int], int] = {}

    def record(
        self, value: bytes, key: bytes | None = b"toy", partition: int = 0, topic: str = TOPIC
    ) -> SourceRecord:
        offset = self._next.get((topic, partition), 0)
        self._next[(topic, partition)] = offset + 1
        return SourceRecord(topic, partition, offset, key, value)

    def level(self, value: bytes, key: bytes | None = b"toy", partition: int = 0) -> SourceRecord:
        """A record of the river-levels topic."""
        return self.record(value, key, partition, LEVELS_TOPIC)

    def forecast(
        self, value: bytes, key: bytes | None = b"toy", partition: int = 0
    ) -> SourceRecord:
        """A record of the rain-forecasts topic."""
        return self.record(value, key, partition, FORECASTS_TOPIC)

    def slots(self, slots: range, rain=lambda slot: 0.0, partition: int = 0) -> list[SourceRecord]:
        """Every toy gauge reporting each slot in ``slots``."""
        return [
            self.record(reading_bytes(g, s, rain(s)), partition=partition)
            for s in slots
            for g in TOY_GAUGES
        ]


def senml_record(gauge: str, slot: int, rain: float = 0.0, basin: str = "toy") -> dict[str, Any]:
    """A full SenML record (own base name and time) equal to ``reading_bytes(gauge, slot, rain)``
    for ``basin`` toy."""
    end = T0 + timedelta(minutes=15 * (slot + 1))
    return {
        "bn": f"urn:dev:floodcast:{basin}:{gauge}:",
        "n": "rainfall",
        "u": "mm",
        "v": rain,
        "t": end.timestamp(),
        "seq": slot,
    }


def pack_bytes(records: list[dict[str, Any]]) -> bytes:
    """A SenML pack of ``records``."""
    return json.dumps(records).encode()


def gauge_pack(gauge: str, slots: range, rain=lambda slot: 0.0) -> bytes:
    """One gauge's readings of ``slots`` as a pack with base fields in the first record only."""
    first = T0 + timedelta(minutes=15 * (slots[0] + 1))
    records: list[dict[str, Any]] = [
        {"n": "rainfall", "v": rain(s), "t": 900.0 * (s - slots[0]), "seq": s} for s in slots
    ]
    records[0].update(bn=f"urn:dev:floodcast:toy:{gauge}:", bt=first.timestamp(), bu="mm")
    return pack_bytes(records)

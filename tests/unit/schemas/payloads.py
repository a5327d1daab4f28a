"""Builders of valid message payloads for the schemas tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from schemas import FloodPathPrediction, ModelRef, PathSummary, ReachForecast

OBSERVED_AT = "2026-11-25T12:15:00Z"


def reading_dict(**overrides: Any) -> dict[str, Any]:
    """A valid gauge reading as a JSON-ready dict, with ``overrides`` applied."""
    reading: dict[str, Any] = {
        "schema_version": 1,
        "gauge_id": "G-0042",
        "basin_id": "upper-tay",
        "sequence": 184467,
        "observed_at": OBSERVED_AT,
        "interval_minutes": 15,
        "rainfall_mm": 2.4,
        "quality": "good",
    }
    reading.update(overrides)
    return reading


def reading_bytes(**overrides: Any) -> bytes:
    """A valid gauge reading as compact JSON bytes, with ``overrides`` applied."""
    return json.dumps(reading_dict(**overrides), separators=(",", ":")).encode()


def prediction(reaches: tuple[ReachForecast, ...] = (), **overrides: Any) -> FloodPathPrediction:
    """A valid prediction for ``reaches`` with a consistent summary."""
    fields: dict[str, Any] = {
        "basin_id": "upper-tay",
        "issued_at": datetime(2026, 11, 25, 13, 0, 5, tzinfo=UTC),
        "watermark": datetime(2026, 11, 25, 13, 0, tzinfo=UTC),
        "model": ModelRef(name="flood-path-gbm", version="1.0.0", sha256="ab" * 32),
        "horizon_hours": 6,
        "threshold": 0.5,
        "reaches": reaches,
        "summary": PathSummary.from_reaches(reaches),
        "readings_used": 96,
    }
    fields.update(overrides)
    return FloodPathPrediction(**fields)

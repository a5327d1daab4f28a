"""Request bodies for ``POST /v1/predict`` over the toy basin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TOY_GAUGES = ("toy-G1", "toy-G2", "toy-G3")


def reading(gauge: str, slot: int, rain: float = 0.0, **overrides: Any) -> dict[str, Any]:
    """A 15-minute reading of ``gauge`` ending at the end of slot ``slot`` after T0."""
    body: dict[str, Any] = {
        "gauge_id": gauge,
        "basin_id": "toy",
        "sequence": slot,
        "observed_at": (T0 + timedelta(minutes=15 * (slot + 1))).isoformat(),
        "rainfall_mm": rain,
    }
    body.update(overrides)
    return body


def storm(slot: int) -> float:
    """Heavy rain in slots 20-29, dry otherwise: enough for the toy model to flood reaches."""
    return 4.0 if 20 <= slot < 30 else 0.0


def window(slots: range, rain: Callable[[int], float] = storm) -> dict[str, Any]:
    """Every toy gauge reporting each slot of ``slots``."""
    return {
        "basin_id": "toy",
        "readings": [reading(g, s, rain(s)) for s in slots for g in TOY_GAUGES],
    }

"""Hand-made predictions and flood observations for the toy basin (reaches A, B, C, D)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from schemas import FloodObservation, FloodPathPrediction, ModelRef, PathSummary, ReachForecast

BASIN = "toy"
REACHES = ("A", "B", "C", "D")
T0 = datetime(2026, 3, 1, tzinfo=UTC)
STEP = timedelta(minutes=15)
MODEL = ModelRef(name="floodcast-toy", version="0.0.1", sha256="0" * 64)


def prediction(
    watermark: datetime, path: Mapping[str, float], horizon_hours: int = 1, basin: str = BASIN
) -> FloodPathPrediction:
    """A prediction warning the reaches of ``path`` (reach id -> probability) in that order."""
    reaches = tuple(
        ReachForecast(reach_id=r, probability=p, eta_minutes=15 * i, reaches_to_outlet=0)
        for i, (r, p) in enumerate(path.items())
    )
    return FloodPathPrediction(
        basin_id=basin,
        issued_at=watermark,
        watermark=watermark,
        model=MODEL,
        horizon_hours=horizon_hours,
        threshold=0.5,
        reaches=reaches,
        summary=PathSummary.from_reaches(reaches),
        readings_used=3,
    )


def observations(
    start: datetime, flooded: Sequence[Sequence[str]], basin: str = BASIN
) -> list[FloodObservation]:
    """One observation per 15-minute step from ``start``, flooding ``flooded[i]`` at step i."""
    return [
        FloodObservation(basin_id=basin, observed_at=start + i * STEP, flooded_reach_ids=tuple(f))
        for i, f in enumerate(flooded)
    ]

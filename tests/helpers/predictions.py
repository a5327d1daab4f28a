"""Small, valid flood-path predictions for tests of what follows the predictions topic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas import FloodPathPrediction, ModelRef, PathSummary

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def empty_path_prediction(basin_id: str, hour: int) -> FloodPathPrediction:
    """A prediction for ``basin_id`` with watermark ``T0 + hour`` h and no reach flooding."""
    return FloodPathPrediction(
        basin_id=basin_id,
        issued_at=T0 + timedelta(hours=hour, seconds=5),
        watermark=T0 + timedelta(hours=hour),
        model=ModelRef(name="m", version="1", sha256="0" * 64),
        horizon_hours=6,
        threshold=0.5,
        summary=PathSummary.from_reaches(()),
        readings_used=hour,
    )

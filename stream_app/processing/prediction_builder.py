"""A scored flood path as the ``FloodPathPrediction`` message."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import FloodPathPrediction, ModelRef, PathSummary, ReachForecast
from stream_app.scoring.flood_path import FloodPath
from stream_app.scoring.flood_scorer import ModelIdentity

__all__ = ["build_prediction"]


def build_prediction(
    *,
    basin_id: str,
    path: FloodPath,
    watermark: int,
    issued_at: datetime,
    model: ModelIdentity,
    horizon_hours: int,
    threshold: float,
    readings_used: int,
    changed: bool | None,
) -> FloodPathPrediction:
    """Build the message for one basin's path.

    Args:
        basin_id: the basin.
        path: the assembled path (ETAs already clipped to the horizon by the scorer).
        watermark: end of the last finalised slot, epoch seconds; ETAs count from here.
        issued_at: wall-clock time of issue.
        model: identity of the scoring model.
        horizon_hours: the model's horizon.
        threshold: the operating threshold.
        readings_used: readings in the feature window.
        changed: whether the path differs from the previous publication.
    """
    reaches = tuple(
        ReachForecast(
            reach_id=reach.reach_id,
            # float32 model outputs may stray past the bounds by an ulp once widened
            probability=min(max(reach.probability, 0.0), 1.0),
            eta_minutes=reach.eta_minutes,
            reaches_to_outlet=reach.reaches_to_outlet,
        )
        for reach in path.reaches
    )
    return FloodPathPrediction(
        basin_id=basin_id,
        issued_at=issued_at,
        watermark=datetime.fromtimestamp(watermark, UTC),
        model=ModelRef(name=model.name, version=model.version, sha256=model.sha256),
        horizon_hours=horizon_hours,
        threshold=threshold,
        reaches=reaches,
        summary=PathSummary.from_reaches(reaches),
        readings_used=readings_used,
        changed=changed,
    )

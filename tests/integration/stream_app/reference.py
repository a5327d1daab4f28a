"""What the worker should publish, computed offline by the same batch processor."""

from __future__ import annotations

from collections.abc import Sequence

from bench._chaos_check import offline_result
from schemas import FloodPathPrediction
from schemas.settings import Settings

PredictionKey = tuple[str, str, tuple[str, ...], bool | None, int]


def prediction_key(prediction: FloodPathPrediction) -> PredictionKey:
    """The parts of a prediction that do not depend on wall-clock time."""
    return (
        prediction.basin_id,
        prediction.watermark.isoformat(),
        tuple(reach.reach_id for reach in prediction.reaches),
        prediction.changed,
        prediction.readings_used,
    )


def reference_predictions(
    settings: Settings, messages: Sequence[tuple[bytes | None, bytes]]
) -> list[PredictionKey]:
    """Predictions for ``messages`` processed in one go, in order (one partition per basin)."""
    return [prediction_key(p) for p in offline_result(settings, messages).predictions]

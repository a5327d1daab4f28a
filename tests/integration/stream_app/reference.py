"""What the worker should publish, computed offline by the same batch processor."""

from __future__ import annotations

from collections.abc import Sequence

from converters.model_package import load_package
from schemas import FloodPathPrediction
from schemas.settings import Settings
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer

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
    scorer = FloodPathScorer(load_package(settings.model_path))
    processor = BatchProcessor(scorer, ProcessorConfig.from_settings(settings))
    records = [
        SourceRecord(settings.topic_readings, 0, offset, key, value)
        for offset, (key, value) in enumerate(messages)
    ]
    result = processor.process(records, {}.get, {}.get)
    return [prediction_key(p) for p in result.predictions]

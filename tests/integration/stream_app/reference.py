"""What the worker should publish, computed offline by the same batch processor."""

from __future__ import annotations

from collections.abc import Sequence

from bench._chaos_check import offline_result
from converters.model_package import load_package
from floodcast.catchment import Simulation
from floodcast.emulator import EmulatorConfig, MessagePlanner
from schemas import FloodPathPrediction
from schemas.settings import Settings
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer

PredictionKey = tuple[str, str, tuple[str, ...], bool | None, int]
Outcome = tuple[str, str, tuple[tuple[str, float], ...]]


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


def outcome(prediction: FloodPathPrediction) -> Outcome:
    """A prediction's basin, watermark and reach probabilities (what a side input may change)."""
    return (
        prediction.basin_id,
        prediction.watermark.isoformat(),
        tuple((reach.reach_id, reach.probability) for reach in prediction.reaches),
    )


def offline_outcomes(
    settings: Settings, config: EmulatorConfig, sim: Simulation, sides: Sequence[tuple[str, str]]
) -> list[Outcome]:
    """The run's messages processed in one go, the rain with the side inputs ``sides`` (topic,
    ``StepBatch`` field) as sent, each step's side messages before its rain: what the worker
    should publish."""
    records: list[SourceRecord] = []
    offsets = {settings.topic_readings: 0, **{topic: 0 for topic, _ in sides}}
    for batch in MessagePlanner([sim], config):
        steps = [(topic, getattr(batch, field)) for topic, field in sides]
        for topic, messages in (*steps, (settings.topic_readings, batch.readings)):
            for key, value in messages:
                records.append(SourceRecord(topic, 0, offsets[topic], key, value))
                offsets[topic] += 1
    scorer = FloodPathScorer(load_package(settings.model_path))
    processor = BatchProcessor(scorer, ProcessorConfig.from_settings(settings))
    return [outcome(p) for p in processor.process(records, {}.get, {}.get).predictions]

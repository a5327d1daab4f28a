"""The worker's per-batch logic: validate, deduplicate, slot, finalise, score, account."""

from stream_app.processing.batch_processor import BatchProcessor, StateLoader
from stream_app.processing.batch_records import BatchResult, ProcessorConfig, SourceRecord
from stream_app.processing.prediction_builder import build_prediction

__all__ = [
    "BatchProcessor",
    "BatchResult",
    "ProcessorConfig",
    "SourceRecord",
    "StateLoader",
    "build_prediction",
]

"""The worker's per-batch logic: validate, deduplicate, slot, finalise, score, account."""

from stream_app.processing.batch_processor import BatchProcessor, StateLoader
from stream_app.processing.batch_result import BatchResult
from stream_app.processing.prediction_builder import build_prediction
from stream_app.processing.processor_config import ProcessorConfig
from stream_app.processing.source_record import SourceRecord

__all__ = [
    "BatchProcessor",
    "BatchResult",
    "ProcessorConfig",
    "SourceRecord",
    "StateLoader",
    "build_prediction",
]

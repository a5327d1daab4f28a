"""Pydantic v2 models of every Floodcast message, the reading decoder, and JSON Schema export."""

from schemas._base import DeadLetterReason, FieldError
from schemas.dead_letter import DeadLetter
from schemas.decode import MAX_FIELD_ERRORS, decode_reading
from schemas.exceptions import (
    DuplicateReadingError,
    InvalidJsonError,
    KeyMismatchError,
    NotUtf8Error,
    OutOfBoundsError,
    OversizeMessageError,
    ReadingDecodeError,
    ReadingProcessingError,
    ReadingRefusedError,
    RejectedReadingError,
    SchemaError,
    SchemaViolationError,
    TooLateError,
    UnknownBasinIdError,
    UnknownGaugeIdError,
)
from schemas.export import MESSAGES, check_json_schemas, export_json_schemas, render_json_schema
from schemas.flood_observation import FloodObservation
from schemas.flood_path_prediction import (
    FloodPathPrediction,
    ModelRef,
    PathSummary,
    PeakReach,
    ReachForecast,
)
from schemas.gauge_reading import (
    MAX_RAINFALL_MM,
    MAX_RAINFALL_RATE_MM_PER_H,
    RAINFALL_RATE_ERROR,
    GaugeReading,
    Quality,
)
from schemas.ops_alert import AlertKind, AlertSeverity, AlertState, OpsAlert

__all__ = [
    "MAX_FIELD_ERRORS",
    "MAX_RAINFALL_MM",
    "MAX_RAINFALL_RATE_MM_PER_H",
    "MESSAGES",
    "RAINFALL_RATE_ERROR",
    "AlertKind",
    "AlertSeverity",
    "AlertState",
    "DeadLetter",
    "DeadLetterReason",
    "DuplicateReadingError",
    "FieldError",
    "FloodObservation",
    "FloodPathPrediction",
    "GaugeReading",
    "InvalidJsonError",
    "KeyMismatchError",
    "ModelRef",
    "NotUtf8Error",
    "OpsAlert",
    "OutOfBoundsError",
    "OversizeMessageError",
    "PathSummary",
    "PeakReach",
    "Quality",
    "ReachForecast",
    "ReadingDecodeError",
    "ReadingProcessingError",
    "ReadingRefusedError",
    "RejectedReadingError",
    "SchemaError",
    "SchemaViolationError",
    "TooLateError",
    "UnknownBasinIdError",
    "UnknownGaugeIdError",
    "check_json_schemas",
    "decode_reading",
    "export_json_schemas",
    "render_json_schema",
]

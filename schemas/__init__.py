"""Pydantic v2 models of every Floodcast message, the reading decoder, and JSON Schema export."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_base": ["DeadLetterReason", "FieldError"],
        "dead_letter": ["DeadLetter"],
        "decode": ["MAX_FIELD_ERRORS", "decode_reading", "decode_river_level", "rejection_from"],
        "exceptions": [
            "DuplicateReadingError",
            "InvalidJsonError",
            "KeyMismatchError",
            "NotUtf8Error",
            "OutOfBoundsError",
            "OversizeMessageError",
            "ReadingDecodeError",
            "ReadingProcessingError",
            "ReadingRefusedError",
            "RejectedReadingError",
            "SchemaError",
            "SchemaViolationError",
            "TooLateError",
            "UnknownBasinIdError",
            "UnknownGaugeIdError",
            "UnknownSensorIdError",
        ],
        "export": ["MESSAGES", "check_json_schemas", "export_json_schemas", "render_json_schema"],
        "flood_observation": ["FloodObservation"],
        "flood_path_prediction": [
            "FloodPathPrediction",
            "ModelRef",
            "PathSummary",
            "PeakReach",
            "ReachForecast",
        ],
        "gauge_reading": [
            "GaugeReading",
            "MAX_RAINFALL_MM",
            "MAX_RAINFALL_RATE_MM_PER_H",
            "Quality",
            "RAINFALL_RATE_ERROR",
        ],
        "ops_alert": ["AlertKind", "AlertSeverity", "AlertState", "OpsAlert"],
        "rain_forecast": [
            "AreaForecast",
            "FORECAST_STEPS",
            "FORECAST_STEP_MINUTES",
            "MAX_FORECAST_STEP_MM",
            "RainForecast",
        ],
        "river_level": ["MAX_STAGE_M", "RiverLevelReading"],
        "senml": ["SenMLPack", "SenMLRecord", "decode_message", "is_pack"],
    },
)

"""Why a message was moved to the dead-letter topic."""

from __future__ import annotations

from enum import StrEnum


class DeadLetterReason(StrEnum):
    """Machine-readable code of a dead-lettered message; the value is what goes on the wire."""

    OVERSIZE = "oversize"
    NOT_UTF8 = "not_utf8"
    INVALID_JSON = "invalid_json"
    SCHEMA_VIOLATION = "schema_violation"
    OUT_OF_BOUNDS = "out_of_bounds"
    UNKNOWN_BASIN = "unknown_basin"
    UNKNOWN_GAUGE = "unknown_gauge"
    TOO_LATE = "too_late"
    DUPLICATE = "duplicate"
    KEY_MISMATCH = "key_mismatch"
    PROCESSING_ERROR = "processing_error"

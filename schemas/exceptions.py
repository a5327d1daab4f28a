"""Errors raised by the schemas package.

Every rejected reading carries the ``DeadLetterReason`` it maps to, a human-readable ``detail``
and pydantic's ``field_errors``, so the stream worker can dead-letter it without re-inspecting it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from schemas._base import DeadLetterReason, FieldError


class SchemaError(Exception):
    """Root of the schemas package's errors."""


class RejectedReadingError(SchemaError, ValueError):
    """A gauge reading cannot be accepted and belongs on the dead-letter topic."""

    reason: ClassVar[DeadLetterReason]

    def __init__(self, detail: str, field_errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field_errors = tuple(field_errors)


class ReadingDecodeError(RejectedReadingError):
    """The raw bytes do not decode into a valid ``GaugeReading``."""


class OversizeMessageError(ReadingDecodeError):
    """The message is larger than the allowed maximum."""

    reason = DeadLetterReason.OVERSIZE


class NotUtf8Error(ReadingDecodeError):
    """The message bytes are not valid UTF-8."""

    reason = DeadLetterReason.NOT_UTF8


class InvalidJsonError(ReadingDecodeError):
    """The message is UTF-8 but not well-formed JSON."""

    reason = DeadLetterReason.INVALID_JSON


class SchemaViolationError(ReadingDecodeError):
    """The JSON does not match the reading schema (types, missing or extra fields, formats)."""

    reason = DeadLetterReason.SCHEMA_VIOLATION


class OutOfBoundsError(ReadingDecodeError):
    """A measurement lies outside its physical bounds (or is NaN), or a time outside its window."""

    reason = DeadLetterReason.OUT_OF_BOUNDS


class ReadingProcessingError(RejectedReadingError):
    """Processing a valid message failed unexpectedly; the message is kept for a replay."""

    reason = DeadLetterReason.PROCESSING_ERROR


class ReadingRefusedError(RejectedReadingError):
    """A valid reading that the stream worker refuses in its current state."""


class UnknownBasinIdError(ReadingRefusedError):
    """The reading names a basin the deployed model does not know."""

    reason = DeadLetterReason.UNKNOWN_BASIN


class UnknownGaugeIdError(ReadingRefusedError):
    """The reading names a gauge that is not part of its basin."""

    reason = DeadLetterReason.UNKNOWN_GAUGE


class UnknownSensorIdError(ReadingRefusedError):
    """The river-level reading names a stage sensor its basin does not have on that reach."""

    reason = DeadLetterReason.UNKNOWN_SENSOR


class KeyMismatchError(ReadingRefusedError):
    """The message key is not the reading's basin id, so it may sit on the wrong partition."""

    reason = DeadLetterReason.KEY_MISMATCH


class TooLateError(ReadingRefusedError):
    """The reading arrived after its window was closed (beyond the allowed lateness)."""

    reason = DeadLetterReason.TOO_LATE


class DuplicateReadingError(ReadingRefusedError):
    """The reading's sequence number is not above the last one seen for its gauge."""

    reason = DeadLetterReason.DUPLICATE

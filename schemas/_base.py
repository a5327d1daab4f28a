"""What every message shares: the strict base class, constrained field types, dead-letter
reasons and field-level errors."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError


class StrictMessage(BaseModel):
    """A Kafka message body.

    Strict types (no ``"1"`` for ``1``), unknown fields rejected, instances frozen, and no NaN or
    infinity anywhere. In JSON, datetimes still arrive as ISO-8601 strings: strict mode accepts
    them there (only Python-mode validation insists on ``datetime`` objects).
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        use_attribute_docstrings=True,
    )


IDENTIFIER_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
"""Gauge, basin and reach ids: 1-64 characters, letters, digits, ``_``, ``.`` and ``-``."""

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
SchemaVersion = Literal[1]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Minutes = Annotated[float, Field(ge=0.0)]
Count = Annotated[int, Field(ge=0)]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, max_length=4096)]


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


class FieldError(StrictMessage):
    """Where a message failed validation, why, and pydantic's error type."""

    loc: str
    """Dotted path of the offending field (``reaches.0.probability``); empty for the message."""
    msg: str
    """Human-readable explanation."""
    type: str
    """Pydantic error type, e.g. ``less_than_equal`` or ``json_invalid``."""

    @classmethod
    def from_validation_error(
        cls, exc: ValidationError, *, limit: int = 20
    ) -> tuple[FieldError, ...]:
        """Convert pydantic's errors, keeping at most ``limit`` of them.

        Args:
            exc: The validation error to convert.
            limit: Cap on the number of errors kept, so a hostile message cannot blow up
                the dead letter that reports it.

        Returns:
            One ``FieldError`` per reported error, in pydantic's order.
        """
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        return tuple(
            cls(loc=".".join(str(part) for part in err["loc"]), msg=err["msg"], type=err["type"])
            for err in errors[:limit]
        )

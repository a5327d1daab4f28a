"""What every message shares: the strict base class, constrained field types, dead-letter
reasons and field-level errors."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError


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

MAX_INT64 = 2**63 - 1
"""Largest count, sequence or offset: Kafka offsets and the worker's state are signed 64-bit."""
MAX_HORIZON_MINUTES = 72 * 60
"""Longest prediction horizon, and so the longest ETA."""
MAX_TEXT = 4096
"""Longest free text (details, summaries, names)."""
MAX_PATH_REACHES = 10_000
"""Most reaches on one flood path or observation (the largest built-in basin has 55)."""

EARLIEST_TIME = datetime(1970, 1, 1, tzinfo=UTC)
"""Earliest time any message may carry: the Unix epoch."""
LATEST_TIME = datetime(2099, 12, 31, tzinfo=UTC)
"""Latest time any message may carry."""
EARLIEST_READING = datetime(1970, 1, 1, 1, tzinfo=UTC)
"""Earliest reading end: its interval (at most an hour), slots and predictions then stay at or
after ``EARLIEST_TIME``."""
LATEST_READING = datetime(2099, 12, 30, tzinfo=UTC)
"""Latest reading end: its slot's end (a prediction's watermark) then stays before
``LATEST_TIME``."""
TIME_WINDOW_ERROR = "time_out_of_window"
"""Pydantic error type of a datetime outside its window."""

_YEAR_PATTERN = r"^(19[7-9][0-9]|20[0-9]{2})-"
"""The JSON Schema's check of a time's year as written (in its own UTC offset): 1970-2099. The
windows end a day before 2100, so no offset takes a time inside them past 2099; a time just
after the epoch may still be written in 1969 (``1969-12-31T23:30:00-01:00``), which the
models refuse as the pattern does."""


def _z(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _time_window(earliest: datetime, latest: datetime) -> Any:
    """An aware datetime type limited to ``[earliest, latest]``, in Python and in JSON Schema.

    JSON Schema has no comparison of times: the window is stated with ``formatMinimum`` and
    ``formatMaximum`` (as validators such as ajv-formats check them), and a pattern on the
    year that every validator checks.
    """

    def check(value: datetime) -> datetime:
        if not earliest <= value <= latest or value.year < earliest.year:
            raise PydanticCustomError(
                TIME_WINDOW_ERROR,
                "time must lie between {earliest} and {latest}",
                {"earliest": _z(earliest), "latest": _z(latest)},
            )
        return value

    extra = {"pattern": _YEAR_PATTERN, "formatMinimum": _z(earliest), "formatMaximum": _z(latest)}
    return Annotated[AwareDatetime, AfterValidator(check), Field(json_schema_extra=extra)]


Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
SchemaVersion = Literal[1]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Minutes = Annotated[float, Field(ge=0.0, le=MAX_HORIZON_MINUTES)]
Count = Annotated[int, Field(ge=0, le=MAX_INT64)]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Timestamp = _time_window(EARLIEST_TIME, LATEST_TIME)
"""Any time a message carries: event times, issue and alert times."""
ReadingTime = _time_window(EARLIEST_READING, LATEST_READING)
"""The end of a gauge reading's interval."""


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to at most ``limit`` characters, marked with ``…`` when cut.

    Examples:
        >>> clip("abcdef", 4)
        'abc…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DeadLetterReason(StrEnum):
    """Machine-readable code of a dead-lettered message; the value is what goes on the wire."""

    OVERSIZE = "oversize"
    NOT_UTF8 = "not_utf8"
    INVALID_JSON = "invalid_json"
    SCHEMA_VIOLATION = "schema_violation"
    OUT_OF_BOUNDS = "out_of_bounds"
    UNKNOWN_BASIN = "unknown_basin"
    UNKNOWN_GAUGE = "unknown_gauge"
    UNKNOWN_SENSOR = "unknown_sensor"
    TOO_LATE = "too_late"
    DUPLICATE = "duplicate"
    KEY_MISMATCH = "key_mismatch"
    PROCESSING_ERROR = "processing_error"


MAX_FIELD_ERRORS = 20
"""Field errors kept per rejection; the detail still counts the rest."""
MAX_LOC = 512
"""Longest ``loc``: a field path, or an unknown field's name as the sender spelt it (cut)."""
MAX_MSG = 1024
"""Longest ``msg``."""


class FieldError(StrictMessage):
    """Where a message failed validation, why, and pydantic's error type."""

    loc: Annotated[str, StringConstraints(max_length=MAX_LOC)]
    """Dotted path of the offending field (``reaches.0.probability``); empty for the message."""
    msg: Annotated[str, StringConstraints(max_length=MAX_MSG)]
    """Human-readable explanation."""
    type: Annotated[str, StringConstraints(max_length=128)]
    """Pydantic error type, e.g. ``less_than_equal`` or ``json_invalid``."""

    @classmethod
    def clipped(cls, loc: str, msg: str, type: str) -> FieldError:  # noqa: A002 - the field
        """A field error whose texts are cut to the schema's limits (they may echo input).

        Args:
            loc: The field's path.
            msg: The explanation.
            type: The error type.

        Returns:
            The error, always valid.
        """
        return cls(loc=clip(loc, MAX_LOC), msg=clip(msg, MAX_MSG), type=clip(type, 128))

    @classmethod
    def from_validation_error(
        cls, exc: ValidationError, *, limit: int = MAX_FIELD_ERRORS
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
            cls.clipped(".".join(str(part) for part in err["loc"]), err["msg"], err["type"])
            for err in errors[:limit]
        )

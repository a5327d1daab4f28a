"""A message the stream worker could not use, with the exact bytes it received."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from schemas._base import (
    MAX_FIELD_ERRORS,
    Count,
    DeadLetterReason,
    FieldError,
    SchemaVersion,
    StrictMessage,
    Text,
    Timestamp,
    clip,
)
from schemas.exceptions import RejectedReadingError

TopicName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,249}$")]
MAX_ORIGINAL_BYTES = 64 * 1024 * 1024
"""Largest original key or value a dead letter carries (far above any broker's message limit)."""
Original = Annotated[
    bytes,
    # the JSON Schema bounds the base64 text, the model the bytes it decodes to
    Field(
        max_length=MAX_ORIGINAL_BYTES,
        json_schema_extra={"maxLength": MAX_ORIGINAL_BYTES // 3 * 4 + 4},
    ),
]


class DeadLetter(StrictMessage):
    """Where a rejected message came from, why it was rejected, and its original key and value.

    In JSON, ``key`` and ``value`` are URL-safe base64 so any bytes (even non-UTF-8) round-trip
    exactly; standard base64 is accepted on input too.
    """

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    schema_version: SchemaVersion = 1
    topic: TopicName
    """Topic the message was consumed from."""
    partition: Annotated[int, Field(ge=0, le=2**31 - 1)]
    offset: Count
    key: Original | None = None
    """Original message key."""
    value: Original
    """Original message value (for a record of a SenML pack: the whole pack)."""
    record_index: Count | None = None
    """Index of the refused record in a SenML pack; ``None`` for a whole message."""
    reason: DeadLetterReason
    detail: Text
    """Human-readable explanation."""
    field_errors: Annotated[tuple[FieldError, ...], Field(max_length=MAX_FIELD_ERRORS)] = ()
    dead_lettered_at: Timestamp

    @classmethod
    def from_rejection(
        cls,
        error: RejectedReadingError,
        *,
        topic: str,
        partition: int,
        offset: int,
        key: bytes | None,
        value: bytes,
        at: datetime,
        record_index: int | None = None,
    ) -> DeadLetter:
        """Build the dead letter for a rejected reading.

        Args:
            error: The rejection; supplies reason, detail and field errors (cut to the
                schema's limits, so that any rejection makes a valid dead letter).
            topic: Source topic.
            partition: Source partition.
            offset: Source offset.
            key: Original key bytes, if any.
            value: Original value bytes.
            at: Time of dead-lettering (timezone-aware).
            record_index: Index of the refused record when ``value`` is a SenML pack.

        Returns:
            The dead letter, ready for ``model_dump_json``.
        """
        return cls(
            topic=topic,
            partition=partition,
            offset=offset,
            key=key,
            value=value,
            reason=error.reason,
            detail=clip(error.detail),
            field_errors=error.field_errors[:MAX_FIELD_ERRORS],
            dead_lettered_at=at,
            record_index=record_index,
        )

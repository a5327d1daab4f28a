"""Errors raised by the stream worker."""

from __future__ import annotations

__all__ = [
    "AccountingReadError",
    "CorruptBasinStateError",
    "CorruptCountsError",
    "GapReadError",
    "StreamAppError",
    "TopicCreationError",
    "WorkerStartError",
]


class StreamAppError(Exception):
    """Root of the stream worker's errors."""


class CorruptBasinStateError(StreamAppError, ValueError):
    """Serialised basin state does not decode for the basin it is loaded for."""


class CorruptCountsError(StreamAppError, ValueError):
    """Serialised partition counts do not decode."""


class AccountingReadError(StreamAppError):
    """The accounting changelog could not be read from the broker."""


class GapReadError(StreamAppError):
    """Offsets the stream skipped could not be read back from the broker."""


class WorkerStartError(StreamAppError):
    """The worker could not prepare what it needs on the broker before starting."""


class TopicCreationError(StreamAppError):
    """A Kafka topic could not be created."""

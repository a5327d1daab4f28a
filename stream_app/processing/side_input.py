"""An input topic besides the rain readings: what the batch processor needs to know of it.

A side input (river levels; rain forecasts follow the same path) is a topic co-partitioned with
the readings and keyed by basin id, one message per item. The processor routes its records by
topic, counts them per (topic, partition) in the readings partition's checkpoint
(``SideTallies``), dead-letters what ``decode`` or ``check`` refuses, lets ``apply`` offer each
item to its basin's state (accepted items wait in their slot, counted pending), and settles
them when the slot is scored (``scored_in``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime
from typing import Generic, TypeVar

from schemas import FieldError, KeyMismatchError, OutOfBoundsError, RejectedReadingError
from stream_app.processing.batch_records import SourceRecord
from stream_app.state import AcceptVerdict, BasinState, FinalisedSlot

__all__ = ["SideInput", "beyond_clock_skew"]

M = TypeVar("M")
"""The topic's validated message."""


class SideInput(ABC, Generic[M]):
    """The contract of a side-input topic.

    Args:
        topic: the topic's name.
        basin_ids: the basins the model serves.
    """

    def __init__(self, topic: str, basin_ids: Iterable[str]) -> None:
        self.topic = topic
        self._keys = {basin_id: basin_id.encode() for basin_id in basin_ids}

    def require_basin_key(self, record: SourceRecord, basin_id: str) -> None:
        """A basin's rain and side inputs must share a partition: its state lives there.

        Raises:
            KeyMismatchError: the record's key is not ``basin_id``.
        """
        if record.key != self._keys[basin_id]:
            raise KeyMismatchError(f"key {record.key!r} is not the basin id {basin_id!r}")

    @abstractmethod
    def decode(self, record: SourceRecord, max_bytes: int) -> M:
        """The record's message.

        Raises:
            RejectedReadingError: the bytes are not a valid message.
        """

    @abstractmethod
    def check(self, record: SourceRecord, message: M, latest_end: float) -> tuple[str, int]:
        """The basin of a decoded message and the index of its source there (sensor, area).

        Args:
            record: the message's record (its key must be the basin).
            message: the decoded message.
            latest_end: latest event time accepted (the wall clock plus the skew).

        Raises:
            RejectedReadingError: the message belongs on the dead-letter topic.
        """

    @abstractmethod
    def apply(self, state: BasinState, source: int, message: M) -> AcceptVerdict:
        """Offer ``message`` of ``source`` to its basin's state."""

    @abstractmethod
    def too_late(self, message: M, state: BasinState) -> RejectedReadingError:
        """The rejection of a message whose slot is final already."""

    @staticmethod
    @abstractmethod
    def scored_in(slot: FinalisedSlot) -> int:
        """How many of this topic's messages ``slot`` took in."""


def beyond_clock_skew(moment: datetime, field: str = "observed_at") -> OutOfBoundsError:
    """The rejection of a message stamped further ahead of the wall clock than allowed: one
    device with a wrong clock would otherwise run its basin's event time ahead."""
    detail = f"{field} {moment.isoformat()} lies beyond the allowed clock skew"
    return OutOfBoundsError(detail, [FieldError(loc=field, msg=detail, type="observed_in_future")])

"""Chunk-wise playback held back by the consumer's progress (``run_emulator(flow=...)``).

Played as fast as it can be sent, a run puts days of rain on the readings topic while the
river levels and rain forecasts wait on theirs; a worker that reads one topic ahead of the others
finds its slots closed before their stage or forecast arrives (issue 11). With flow control the
send loop plays ``chunk_steps`` steps at a time: the chunk's river levels and forecasts first,
then, once ``before_rain`` returns, its readings and flood observations. Nothing is dropped or
thinned: every planned message is sent, in the planner's order within each topic.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

__all__ = ["FlowControl"]


class FlowControl(ABC):
    """When the send loop may go on: the contract of a consumer-paced playback.

    Each hook gets the messages sent so far per topic (every message handed to the publisher,
    flushed before the call) and blocks until the consumer has taken enough of them.
    """

    chunk_steps: int = 96
    """Steps played per chunk (96: a day of 15-minute steps)."""

    @abstractmethod
    def before_chunk(self, sent: Mapping[str, int]) -> None:
        """Called before a chunk's river levels and forecasts are sent."""

    @abstractmethod
    def before_rain(self, sent: Mapping[str, int]) -> None:
        """Called after a chunk's river levels and forecasts, before its readings."""

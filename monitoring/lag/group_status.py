"""Burrow's verdicts on a consumer group."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["GroupStatus"]


class GroupStatus(IntEnum):
    """How a consumer group is doing, ordered from best to worst."""

    OK = 0
    """Caught up at least once in the window, or keeping pace."""
    WARN = 1
    """Committing, but the lag grew over the whole window."""
    STALL = 2
    """Members are there, but the committed offset has not moved while lag is waiting."""
    STOP = 3
    """No member consumes, and lag is waiting."""

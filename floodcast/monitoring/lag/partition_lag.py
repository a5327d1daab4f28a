"""Lag of one partition, and of a whole consumer group, read from the broker at one moment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

__all__ = ["GroupLag", "GroupStatus", "PartitionLag"]


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


@dataclass(frozen=True)
class PartitionLag:
    """How far a consumer group is behind on one partition.

    ``committed`` is ``None`` when the group never committed there; the lag then counts from
    the partition's first retained offset, where an ``earliest`` consumer would start.
    """

    topic: str
    partition: int
    committed: int | None
    end: int
    lag: int
    """Messages between the committed offset and the end offset."""
    seconds: float
    """Age of the oldest unconsumed message (0 without lag)."""


@dataclass(frozen=True)
class GroupLag:
    """A consumer group's lag on every partition it is behind, read at ``at`` (epoch seconds)."""

    group: str
    partitions: tuple[PartitionLag, ...]
    members: int
    """Active members of the group (0: nobody consumes)."""
    state: str
    """The broker's group state, e.g. ``STABLE`` or ``EMPTY``."""
    at: float

    @property
    def total(self) -> int:
        """Messages behind, summed over partitions."""
        return sum(p.lag for p in self.partitions)

    @property
    def max_seconds(self) -> float:
        """The oldest unconsumed message's age over all partitions."""
        return max((p.seconds for p in self.partitions), default=0.0)

    def by_partition(self) -> dict[tuple[str, int], PartitionLag]:
        """Partitions keyed by ``(topic, partition)``."""
        return {(p.topic, p.partition): p for p in self.partitions}

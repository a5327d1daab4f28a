"""A sliding window of lag readings, judged in the spirit of Burrow's evaluation rules."""

from __future__ import annotations

from collections import deque

from floodcast.monitoring.exceptions import AlertRuleError
from floodcast.monitoring.lag.partition_lag import GroupLag, GroupStatus, PartitionLag

__all__ = ["LagWindow"]


class LagWindow:
    """The last ``size`` lag readings of one group, and each partition's status over them.

    Burrow's rules, per partition, once the window is full:

    1. a reading with zero lag anywhere in the window: OK;
    2. committed offset unchanged over the window while lag waits: STOP when the group has no
       member (Burrow infers this from commit times; the broker tells us directly), else STALL;
    3. lag never decreasing and larger at the end than at the start: WARN;
    4. otherwise OK.

    The group's status is its worst partition's. Until the window fills, everything is OK, as
    in Burrow: a couple of readings say nothing about a trend.

    Parameters:
        size: readings kept (at least 2).

    Examples:
        >>> from monitoring.lag.partition_lag import GroupLag, PartitionLag
        >>> window = LagWindow(size=3)
        >>> for second, end in enumerate((10, 20, 30)):
        ...     window.add(GroupLag("g", (PartitionLag("t", 0, 5, end, end - 5, 1.0),), 0, "EMPTY",
        ...                         float(second)))
        >>> window.status.name
        'STOP'
    """

    def __init__(self, size: int) -> None:
        if size < 2:
            raise AlertRuleError(f"a lag window needs at least 2 readings, not {size}")
        self.size = size
        self._readings: deque[GroupLag] = deque(maxlen=size)

    def add(self, reading: GroupLag) -> None:
        """Append a reading; the oldest drops out of a full window."""
        self._readings.append(reading)

    @property
    def latest(self) -> GroupLag | None:
        return self._readings[-1] if self._readings else None

    @property
    def full(self) -> bool:
        return len(self._readings) == self.size

    def partition_status(self) -> dict[tuple[str, int], GroupStatus]:
        """Status of every partition of the latest reading."""
        latest = self.latest
        if latest is None:
            return {}
        histories: dict[tuple[str, int], list[PartitionLag]] = {}
        for reading in self._readings:
            for key, row in reading.by_partition().items():
                histories.setdefault(key, []).append(row)
        return {key: self._judge(histories[key], latest.members) for key in latest.by_partition()}

    @property
    def status(self) -> GroupStatus:
        """The worst partition status (OK without readings)."""
        return max(self.partition_status().values(), default=GroupStatus.OK)

    def _judge(self, history: list[PartitionLag], members: int) -> GroupStatus:
        if len(history) < self.size or any(row.lag == 0 for row in history):
            return GroupStatus.OK
        first, last = history[0], history[-1]
        if first.committed == last.committed:
            return GroupStatus.STOP if members == 0 else GroupStatus.STALL
        lags = [row.lag for row in history]
        if all(a <= b for a, b in zip(lags, lags[1:], strict=False)) and lags[-1] > lags[0]:
            return GroupStatus.WARN
        return GroupStatus.OK

"""What flooded, per basin and observed step, for checking predictions against."""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta

from schemas import FloodObservation

__all__ = ["ObservedFloods"]


class ObservedFloods:
    """Each basin's flooded reaches at every observed step of the last ``retention``.

    Parameters:
        retention: event time kept behind a basin's newest observation.

    Examples:
        >>> from datetime import UTC
        >>> floods = ObservedFloods(retention=timedelta(days=1))
        >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
        >>> for step, flooded in enumerate([(), ("A",), ("A", "B"), ()]):
        ...     at = t0 + step * timedelta(minutes=15)
        ...     seen = FloodObservation(basin_id="b", observed_at=at, flooded_reach_ids=flooded)
        ...     floods.add(seen)
        >>> floods.covers("b", t0, t0 + timedelta(minutes=45))
        True
        >>> sorted(floods.flooded("b", t0 + timedelta(minutes=30), t0 + timedelta(minutes=45)))
        ['A', 'B']
    """

    def __init__(self, retention: timedelta) -> None:
        self.retention = retention
        self._times: dict[str, list[datetime]] = {}
        self._flooded: dict[str, list[frozenset[str]]] = {}
        self._reaches: dict[str, set[str]] = {}

    def add(self, observation: FloodObservation) -> None:
        """Record one observed step (a repeated step replaces the earlier one)."""
        basin = observation.basin_id
        times = self._times.setdefault(basin, [])
        flooded = self._flooded.setdefault(basin, [])
        at = observation.observed_at
        index = bisect.bisect_left(times, at)
        step = frozenset(observation.flooded_reach_ids)
        if index < len(times) and times[index] == at:
            flooded[index] = step
        else:
            times.insert(index, at)
            flooded.insert(index, step)
        self._reaches.setdefault(basin, set()).update(step)
        keep_from = bisect.bisect_left(times, times[-1] - self.retention)
        del times[:keep_from], flooded[:keep_from]

    def first(self, basin_id: str) -> datetime | None:
        """The basin's oldest observed step still kept."""
        times = self._times.get(basin_id)
        return times[0] if times else None

    def latest(self, basin_id: str) -> datetime | None:
        """The basin's newest observed step."""
        times = self._times.get(basin_id)
        return times[-1] if times else None

    def covers(self, basin_id: str, start: datetime, end: datetime) -> bool:
        """Whether the kept observations span ``[start, end]`` for the basin."""
        first, latest = self.first(basin_id), self.latest(basin_id)
        return first is not None and latest is not None and first <= start and latest >= end

    def flooded(self, basin_id: str, start: datetime, end: datetime) -> set[str]:
        """Reaches flooded at any observed step in ``[start, end]``."""
        times = self._times.get(basin_id, [])
        lo, hi = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
        return set().union(*self._flooded[basin_id][lo:hi]) if hi > lo else set()

    def reaches(self, basin_id: str) -> set[str]:
        """Every reach ever observed flooded in the basin."""
        return set(self._reaches.get(basin_id, ()))

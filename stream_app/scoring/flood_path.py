"""Assemble a basin's flood path from per-reach probabilities and times to flood."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class PathReach:
    """One reach expected to flood."""

    reach_id: str
    probability: float
    eta_minutes: float
    reaches_to_outlet: int


@dataclass(frozen=True, slots=True)
class FloodPath:
    """The reaches expected to flood, in the order the flood reaches them.

    Attributes:
        reaches: reaches at or over the threshold, by ETA; equal ETAs upstream first.
        first_reach: the earliest reach to flood, or None for an all-clear.
        last_reach: the last reach the flood reaches.
        time_to_first_flood_minutes: ETA of the first reach.
        peak: the reach with the highest flood probability on the path.
    """

    reaches: tuple[PathReach, ...]

    @property
    def first_reach(self) -> str | None:
        return self.reaches[0].reach_id if self.reaches else None

    @property
    def last_reach(self) -> str | None:
        return self.reaches[-1].reach_id if self.reaches else None

    @property
    def time_to_first_flood_minutes(self) -> float | None:
        return self.reaches[0].eta_minutes if self.reaches else None

    @property
    def peak(self) -> PathReach | None:
        return max(self.reaches, key=lambda r: r.probability) if self.reaches else None

    @property
    def reach_ids(self) -> tuple[str, ...]:
        return tuple(r.reach_id for r in self.reaches)


def assemble_flood_path(
    reach_ids: Sequence[str],
    reaches_to_outlet: NDArray[np.int64],
    probabilities: NDArray[np.floating],
    eta_minutes: NDArray[np.floating],
    threshold: float,
) -> FloodPath:
    """Order the reaches at or over ``threshold`` by ETA, then from upstream to downstream.

    Args:
        reach_ids: reach ids in the basin's upstream-first (topological) order.
        reaches_to_outlet: for each reach, the number of reaches between it and the outlet.
        probabilities: P(reach floods within the horizon), one per reach.
        eta_minutes: predicted minutes until each reach floods (negative values clip to 0).
        threshold: operating probability threshold.

    Returns:
        The flood path; empty when no reach reaches the threshold.
    """
    n = len(reach_ids)
    if not (len(reaches_to_outlet) == len(probabilities) == len(eta_minutes) == n):
        raise ValueError("reach ids, depths, probabilities and ETAs must have one entry per reach")
    eta = np.maximum(np.asarray(eta_minutes, dtype=np.float64), 0.0)
    selected = np.flatnonzero(np.asarray(probabilities) >= threshold)
    # ETA first; for equal ETAs the reach farther from the outlet (upstream) comes first, and
    # the topological index keeps the order total and stable.
    order = sorted(selected, key=lambda i: (eta[i], -int(reaches_to_outlet[i]), int(i)))
    return FloodPath(
        reaches=tuple(
            PathReach(
                reach_id=reach_ids[i],
                probability=float(probabilities[i]),
                eta_minutes=float(eta[i]),
                reaches_to_outlet=int(reaches_to_outlet[i]),
            )
            for i in order
        )
    )

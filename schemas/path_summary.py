"""Headline figures of a flood path, derived from its reaches."""

from __future__ import annotations

from collections.abc import Sequence

from schemas._message import StrictMessage
from schemas._types import Count, Identifier, Minutes, Probability
from schemas.reach_forecast import ReachForecast


class PeakReach(StrictMessage):
    """The reach most likely to flood."""

    reach_id: Identifier
    probability: Probability
    eta_minutes: Minutes


class PathSummary(StrictMessage):
    """First and last reach, earliest flood and likeliest reach; all null for an empty path."""

    first_reach: Identifier | None
    """Earliest reach to flood."""
    last_reach: Identifier | None
    """Last reach the flood reaches."""
    time_to_first_flood_minutes: Minutes | None
    """ETA of the first reach, from the watermark."""
    peak: PeakReach | None
    """Highest-probability reach (the earliest on the path on ties)."""
    n_reaches: Count

    @classmethod
    def from_reaches(cls, reaches: Sequence[ReachForecast]) -> PathSummary:
        """Summarise a path given in flooding order.

        Args:
            reaches: The path's reaches, earliest ETA first; may be empty (the all-clear).

        Returns:
            The summary a ``FloodPathPrediction`` with these reaches must carry.
        """
        if not reaches:
            return cls(
                first_reach=None,
                last_reach=None,
                time_to_first_flood_minutes=None,
                peak=None,
                n_reaches=0,
            )
        peak = max(reaches, key=lambda reach: reach.probability)  # max keeps the first on ties
        return cls(
            first_reach=reaches[0].reach_id,
            last_reach=reaches[-1].reach_id,
            time_to_first_flood_minutes=reaches[0].eta_minutes,
            peak=PeakReach(
                reach_id=peak.reach_id, probability=peak.probability, eta_minutes=peak.eta_minutes
            ),
            n_reaches=len(reaches),
        )

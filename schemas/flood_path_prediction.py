"""The stream's output: which reaches of a basin are predicted to flood, in flooding order."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Annotated, Self

from pydantic import Field, model_validator

from schemas._base import (
    MAX_PATH_REACHES,
    Count,
    Identifier,
    Minutes,
    NonEmptyText,
    Probability,
    SchemaVersion,
    Sha256Hex,
    StrictMessage,
    Timestamp,
)


class ModelRef(StrictMessage):
    """Name, version and content hash of a model package."""

    name: NonEmptyText
    version: NonEmptyText
    sha256: Sha256Hex
    """Lower-case hex SHA-256 of the package's model file, as listed in its manifest."""


class ReachForecast(StrictMessage):
    """Flood probability and expected time to flooding of one reach."""

    reach_id: Identifier
    probability: Probability
    """Probability that the reach floods within the prediction horizon."""
    eta_minutes: Minutes
    """Expected time from the watermark until the reach floods."""
    reaches_to_outlet: Count
    """Reaches between this one and the basin outlet (0 for the outlet reach)."""


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


class FloodPathPrediction(StrictMessage):
    """A basin's predicted flood path; an empty path is the all-clear."""

    schema_version: SchemaVersion = 1
    basin_id: Identifier
    issued_at: Timestamp
    """Wall-clock time the prediction was made."""
    watermark: Timestamp
    """Event time up to which readings were used; ETAs count from here."""
    model: ModelRef
    horizon_hours: Annotated[int, Field(ge=1, le=72)]
    """How far ahead the prediction looks."""
    threshold: Probability
    """Operating probability threshold a reach had to reach to join the path."""
    reaches: Annotated[tuple[ReachForecast, ...], Field(max_length=MAX_PATH_REACHES)] = ()
    """Reaches at or over the threshold, by ETA; equal ETAs from upstream to downstream."""
    summary: PathSummary
    """Must equal ``PathSummary.from_reaches(reaches)``."""
    readings_used: Count
    """Readings that went into the features."""
    changed: bool | None = None
    """Whether the path differs from the basin's previous prediction (``None``: unknown)."""

    @model_validator(mode="after")
    def _check_path(self) -> Self:
        order = [(reach.eta_minutes, -reach.reaches_to_outlet) for reach in self.reaches]
        if order != sorted(order):
            raise ValueError("reaches must be ordered by eta_minutes, then upstream first")
        if len({reach.reach_id for reach in self.reaches}) != len(self.reaches):
            raise ValueError("a reach appears twice on the path")
        horizon_minutes = self.horizon_hours * 60
        if any(reach.eta_minutes > horizon_minutes for reach in self.reaches):
            raise ValueError(f"an eta_minutes exceeds the {horizon_minutes}-minute horizon")
        if self.summary != PathSummary.from_reaches(self.reaches):
            raise ValueError("summary does not match the reaches")
        return self

    @property
    def prediction_id(self) -> str:
        """Identity of the prediction: its basin, watermark and model's sha256, hashed.

        After a worker's hard kill the readings since its last checkpoint are processed again
        and their predictions published again, equal but for ``issued_at``; the id tells
        such a repeat from a new prediction (issue 12).
        """
        identity = f"{self.basin_id}|{self.watermark.isoformat()}|{self.model.sha256}"
        return hashlib.sha256(identity.encode()).hexdigest()[:32]

    @property
    def all_clear(self) -> bool:
        """No reach is predicted to flood."""
        return not self.reaches

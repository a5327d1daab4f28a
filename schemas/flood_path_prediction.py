"""The stream's output: which reaches of a basin are predicted to flood, in flooding order."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import AwareDatetime, Field, model_validator

from schemas._message import StrictMessage
from schemas._types import Count, Identifier, Probability, SchemaVersion
from schemas.model_ref import ModelRef
from schemas.path_summary import PathSummary
from schemas.reach_forecast import ReachForecast


class FloodPathPrediction(StrictMessage):
    """A basin's predicted flood path; an empty path is the all-clear."""

    schema_version: SchemaVersion = 1
    basin_id: Identifier
    issued_at: AwareDatetime
    """Wall-clock time the prediction was made."""
    watermark: AwareDatetime
    """Event time up to which readings were used; ETAs count from here."""
    model: ModelRef
    horizon_hours: Annotated[int, Field(ge=1, le=72)]
    """How far ahead the prediction looks."""
    threshold: Probability
    """Operating probability threshold a reach had to reach to join the path."""
    reaches: tuple[ReachForecast, ...] = ()
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
    def all_clear(self) -> bool:
        """No reach is predicted to flood."""
        return not self.reaches

"""What actually flooded: the simulator's truth for one basin at one time step."""

from __future__ import annotations

from typing import Self

from pydantic import AwareDatetime, model_validator

from schemas._base import Identifier, SchemaVersion, StrictMessage


class FloodObservation(StrictMessage):
    """Reaches of a basin over bankfull at the end of a time step; empty when none is."""

    schema_version: SchemaVersion = 1
    basin_id: Identifier
    observed_at: AwareDatetime
    """End of the time step (event time, aligned with the readings of that step)."""
    flooded_reach_ids: tuple[Identifier, ...] = ()
    """Flooded reaches in the basin's upstream-to-downstream order."""

    @model_validator(mode="after")
    def _check_unique(self) -> Self:
        if len(set(self.flooded_reach_ids)) != len(self.flooded_reach_ids):
            raise ValueError("a reach is listed twice")
        return self

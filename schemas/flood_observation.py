"""What actually flooded: the simulator's truth for one basin at one time step."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from schemas._base import MAX_PATH_REACHES, Identifier, SchemaVersion, StrictMessage, Timestamp


class FloodObservation(StrictMessage):
    """Reaches of a basin over bankfull at the end of a time step; empty when none is."""

    schema_version: SchemaVersion = 1
    basin_id: Identifier
    observed_at: Timestamp
    """End of the time step (event time, aligned with the readings of that step)."""
    flooded_reach_ids: Annotated[tuple[Identifier, ...], Field(max_length=MAX_PATH_REACHES)] = ()
    """Flooded reaches in the basin's upstream-to-downstream order."""

    @model_validator(mode="after")
    def _check_unique(self) -> Self:
        if len(set(self.flooded_reach_ids)) != len(self.flooded_reach_ids):
            raise ValueError("a reach is listed twice")
        return self

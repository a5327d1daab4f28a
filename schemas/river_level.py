"""A river-level sensor's stage at one instant: the stream's river-state input (issue 11)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from schemas._base import Count, Identifier, ReadingTime, SchemaVersion, StrictMessage
from schemas.gauge_reading import Quality

MAX_STAGE_M = 30.0
"""Largest stage accepted; far above any bankfull stage of the basins served."""


class RiverLevelReading(StrictMessage):
    """Water level measured by one stage sensor on a river reach at ``observed_at``."""

    schema_version: SchemaVersion = 1
    sensor_id: Identifier
    basin_id: Identifier
    reach_id: Identifier
    """The reach the sensor sits on (at its downstream end)."""
    sequence: Count
    """Per-sensor counter, increasing by one with every reading the sensor sends."""
    observed_at: ReadingTime
    """When the level was measured (event time)."""
    stage_m: Annotated[float, Field(ge=0.0, le=MAX_STAGE_M)]
    """Stage above the sensor's gauge datum (the channel bed), metres."""
    quality: Quality = "good"
    """The sensor's own quality flag."""

"""A rain forecast for one basin: the expected rain per sub-area for the next six hours (issue 11).

A radar nowcast or a weather model delivers one message per basin per issue. Each sub-area is
the part of the basin a rain gauge represents, named by the gauge's id, so the forecast maps
onto the model's features the way the gauges' readings do.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Final, Literal, Self

from pydantic import Field, model_validator

from schemas._base import Identifier, ReadingTime, SchemaVersion, StrictMessage
from schemas.gauge_reading import MAX_RAINFALL_RATE_MM_PER_H

FORECAST_STEP_MINUTES: Final = 15
"""Length of one forecast step."""
FORECAST_STEPS: Final = 24
"""Steps per forecast: six hours ahead."""
MAX_FORECAST_STEP_MM: Final = MAX_RAINFALL_RATE_MM_PER_H * FORECAST_STEP_MINUTES / 60.0
"""Largest expected rain in one step: the largest accepted rain rate held for 15 minutes."""
MAX_FORECAST_AREAS: Final = 1024
"""Most sub-areas in one forecast (the largest built-in basin has 24 gauges)."""

ForecastStepMm = Annotated[float, Field(ge=0.0, le=MAX_FORECAST_STEP_MM)]


class AreaForecast(StrictMessage):
    """Expected rain over one sub-area for each forecast step."""

    area_id: Identifier
    """The sub-area: the id of the rain gauge whose area it is."""
    rain_mm: Annotated[
        tuple[ForecastStepMm, ...], Field(min_length=FORECAST_STEPS, max_length=FORECAST_STEPS)
    ]
    """Expected areal rain in mm in each 15-minute step; step ``k`` starts ``k`` steps after
    ``issued_at``."""


class RainForecast(StrictMessage):
    """A basin's rain forecast for the six hours after ``issued_at``."""

    schema_version: SchemaVersion = 1
    forecast_id: Identifier
    """Unique per issue and basin; a repeated id is the same forecast sent again."""
    basin_id: Identifier
    issued_at: ReadingTime
    """Start of the first forecast step (event time); within the readings' window, so that
    the six hours it covers end before 2100."""
    step_minutes: Literal[15] = FORECAST_STEP_MINUTES
    """Length of each forecast step."""
    areas: Annotated[tuple[AreaForecast, ...], Field(min_length=1, max_length=MAX_FORECAST_AREAS)]
    """One forecast per sub-area of the basin."""

    @model_validator(mode="after")
    def _check_unique(self) -> Self:
        if len({area.area_id for area in self.areas}) != len(self.areas):
            raise ValueError("a sub-area is listed twice")
        return self

    @property
    def valid_until(self) -> datetime:
        """End of the last forecast step."""
        return self.issued_at + timedelta(minutes=self.step_minutes * FORECAST_STEPS)

    def rain_by_area(self) -> dict[str, tuple[float, ...]]:
        """Each sub-area's expected rain per step, by area id."""
        return {area.area_id: area.rain_mm for area in self.areas}

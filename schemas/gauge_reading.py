"""A rain gauge's rainfall over one measurement interval: the stream's input message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from schemas._base import Count, Identifier, ReadingTime, SchemaVersion, StrictMessage

MAX_RAINFALL_MM = 150.0
"""Largest rainfall accepted for one interval."""
MAX_RAINFALL_RATE_MM_PER_H = 300.0
"""Largest accepted intensity; beyond the world-record short-duration rates."""
RAINFALL_RATE_ERROR = "rainfall_rate_too_high"
"""Pydantic error type raised when a reading breaks ``MAX_RAINFALL_RATE_MM_PER_H``."""

_MAX_MM_PER_MINUTE = MAX_RAINFALL_RATE_MM_PER_H / 60.0

Quality = Literal["good", "suspect", "estimated"]


class GaugeReading(StrictMessage):
    """Rainfall measured by one gauge over the interval ending at ``observed_at``."""

    schema_version: SchemaVersion = 1
    gauge_id: Identifier
    basin_id: Identifier
    sequence: Count
    """Per-gauge counter, increasing by one with every reading the gauge sends."""
    observed_at: ReadingTime
    """End of the measurement interval (event time)."""
    interval_minutes: Annotated[int, Field(ge=1, le=60)] = 15
    """Length of the measurement interval."""
    rainfall_mm: Annotated[float, Field(ge=0.0, le=MAX_RAINFALL_MM)]
    """Rainfall accumulated over the interval."""
    quality: Quality = "good"
    """The gauge's own quality flag."""
    battery_v: Annotated[float, Field(ge=0.0, le=30.0)] | None = None
    """Battery voltage, when the gauge reports it."""

    @model_validator(mode="after")
    def _check_rate(self) -> Self:
        # A plain comparison keeps this Python hook to a fraction of a microsecond.
        if self.rainfall_mm > self.interval_minutes * _MAX_MM_PER_MINUTE:
            raise PydanticCustomError(
                RAINFALL_RATE_ERROR,
                "rainfall of {rainfall_mm} mm in {interval_minutes} min exceeds {limit} mm/h",
                {
                    "rainfall_mm": self.rainfall_mm,
                    "interval_minutes": self.interval_minutes,
                    "limit": MAX_RAINFALL_RATE_MM_PER_H,
                },
            )
        return self

    @property
    def interval_start(self) -> datetime:
        """Start of the measurement interval."""
        return self.observed_at - timedelta(minutes=self.interval_minutes)

    @property
    def intensity_mm_per_h(self) -> float:
        """Mean rainfall intensity over the interval."""
        return self.rainfall_mm * 60.0 / self.interval_minutes

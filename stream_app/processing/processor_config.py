"""The knobs of the batch processor, taken from Floodcast's settings."""

from __future__ import annotations

from dataclasses import dataclass

from features.spec import STEP_MINUTES
from floodcast.settings import Settings

__all__ = ["ProcessorConfig"]


@dataclass(frozen=True, slots=True)
class ProcessorConfig:
    """Limits and event-time rules of the batch processor."""

    max_message_bytes: int = 4096
    lateness_seconds: int = 3600
    """How far a basin's watermark must pass a slot's end to close it without every gauge."""
    cadence_seconds: int = 3600
    """Republish an unchanged path after this much event time."""
    max_future_seconds: int = 3600
    """Readings ending further than this past the wall clock are refused: one gauge with a
    wrong clock would otherwise push its basin's watermark ahead and close every slot."""
    max_gap_slots: int = 288
    """Longest run of silent slots filled with dry steps."""
    dedupe_window: int = 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> ProcessorConfig:
        return cls(
            max_message_bytes=settings.max_message_bytes,
            lateness_seconds=settings.allowed_lateness_minutes * 60,
            cadence_seconds=settings.publish_cadence_minutes * 60,
            max_future_seconds=settings.max_future_minutes * 60,
            max_gap_slots=settings.max_gap_hours * 60 // STEP_MINUTES,
            dedupe_window=settings.dedupe_window,
        )

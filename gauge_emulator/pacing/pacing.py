"""How fast to play a run back: as fast as possible, at a readings rate, or sped-up event time."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, PositiveFloat, model_validator

from gauge_emulator.pacing.fixed_rate import FixedRatePacer
from gauge_emulator.pacing.max_speed import MaxSpeedPacer
from gauge_emulator.pacing.pacer import Pacer
from gauge_emulator.pacing.speedup import SpeedupPacer

PacingMode = Literal["max_speed", "rate", "speedup"]


class Pacing(BaseModel):
    """The playback speed: ``mode`` with its ``value`` (readings/s, or the speed-up factor)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: PacingMode = "max_speed"
    value: PositiveFloat | None = None

    @model_validator(mode="after")
    def _check_value(self) -> Self:
        if (self.mode == "max_speed") != (self.value is None):
            needs = "takes no value" if self.mode == "max_speed" else "needs a positive value"
            raise ValueError(f"pacing {self.mode!r} {needs}")
        return self

    @classmethod
    def max_speed(cls) -> Self:
        """As fast as possible."""
        return cls()

    @classmethod
    def rate(cls, readings_per_second: float) -> Self:
        """A fixed number of readings per second."""
        return cls(mode="rate", value=readings_per_second)

    @classmethod
    def speedup(cls, factor: float) -> Self:
        """Event time ``factor`` times faster than wall-clock time."""
        return cls(mode="speedup", value=factor)

    def pacer(self, step_seconds: float) -> Pacer:
        """A pacer implementing this pacing for steps of ``step_seconds``."""
        if self.mode == "rate" and self.value is not None:
            return FixedRatePacer(self.value)
        if self.mode == "speedup" and self.value is not None:
            return SpeedupPacer(self.value, step_seconds)
        return MaxSpeedPacer()

    def describe(self) -> str:
        """Short human-readable form, e.g. ``speed-up x60``."""
        if self.mode == "rate":
            return f"{self.value:g} readings/s"
        if self.mode == "speedup":
            return f"speed-up x{self.value:g}"
        return "max speed"

"""Playback speed of the emulator: one pacer per pacing mode."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, PositiveFloat, model_validator

from floodcast.emulator.exceptions import EmulatorConfigError

__all__ = ["FixedRatePacer", "MaxSpeedPacer", "Pacer", "Pacing", "PacingMode", "SpeedupPacer"]


class Pacer(ABC):
    """Decides when the emulator may send more readings.

    The emulator sends a step's readings in chunks of at most ``chunk_size`` (0: the whole
    step at once) and, before each chunk, waits ``wait_seconds(...)`` if that is positive.
    """

    chunk_size: int = 0
    """Largest number of readings sent between two waits; 0 means a whole step."""

    @abstractmethod
    def wait_seconds(self, *, elapsed_s: float, readings_sent: int, steps_sent: int) -> float:
        """Seconds to wait before sending more.

        Args:
            elapsed_s: wall-clock seconds since the first send.
            readings_sent: messages sent to the readings topic so far.
            steps_sent: time steps completely sent so far.

        Returns:
            Seconds to wait; zero or negative means send now.
        """


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


class MaxSpeedPacer(Pacer):
    """Never waits."""

    def wait_seconds(self, *, elapsed_s: float, readings_sent: int, steps_sent: int) -> float:
        """Always zero."""
        return 0.0


CHUNKS_PER_SECOND = 50
"""How finely a second's readings are spread: bursts last at most 20 ms of the rate."""


class FixedRatePacer(Pacer):
    """Keeps the readings sent at ``rate`` per second on average, in small even bursts.

    Args:
        rate: readings per second.
    """

    def __init__(self, rate: float) -> None:
        if not (math.isfinite(rate) and rate > 0):
            raise EmulatorConfigError(f"rate must be positive, got {rate}")
        self.rate = rate
        self.chunk_size = max(1, int(rate / CHUNKS_PER_SECOND))

    def wait_seconds(self, *, elapsed_s: float, readings_sent: int, steps_sent: int) -> float:
        """Time until ``readings_sent`` readings are due at the configured rate."""
        return readings_sent / self.rate - elapsed_s


class SpeedupPacer(Pacer):
    """Sends step ``k`` at ``k * step / speedup`` after the start (60: an hour per minute).

    Args:
        speedup: how many seconds of event time pass per wall-clock second.
        step_seconds: event time covered by one step.
    """

    def __init__(self, speedup: float, step_seconds: float) -> None:
        if not (math.isfinite(speedup) and speedup > 0):
            raise EmulatorConfigError(f"speedup must be positive, got {speedup}")
        self.speedup = speedup
        self.step_seconds = step_seconds

    def wait_seconds(self, *, elapsed_s: float, readings_sent: int, steps_sent: int) -> float:
        """Time until the next step is due."""
        return steps_sent * self.step_seconds / self.speedup - elapsed_s

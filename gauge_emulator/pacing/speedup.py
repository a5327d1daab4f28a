"""Event time played back faster than real time by a fixed factor."""

from __future__ import annotations

import math

from gauge_emulator.exceptions import EmulatorConfigError
from gauge_emulator.pacing.pacer import Pacer


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

"""A fixed number of readings per wall-clock second."""

from __future__ import annotations

import math

from gauge_emulator.exceptions import EmulatorConfigError
from gauge_emulator.pacing.pacer import Pacer

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

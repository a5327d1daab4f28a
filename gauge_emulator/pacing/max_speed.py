"""No pacing: send as fast as the producer accepts messages."""

from __future__ import annotations

from gauge_emulator.pacing.pacer import Pacer


class MaxSpeedPacer(Pacer):
    """Never waits."""

    def wait_seconds(self, *, elapsed_s: float, readings_sent: int, steps_sent: int) -> float:
        """Always zero."""
        return 0.0

"""The pacing contract: how long to wait before sending the next chunk of readings."""

from __future__ import annotations

from abc import ABC, abstractmethod


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

"""Progress of a running emulator, for progress lines and dashboards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EmulatorProgress:
    """A snapshot taken between two steps.

    Attributes:
        steps_sent: time steps sent so far.
        steps_total: time steps in the run.
        readings_sent: readings-topic messages sent so far.
        elapsed_s: wall-clock seconds since sending began.
        observed_at: event time of the last step sent.
    """

    steps_sent: int
    steps_total: int
    readings_sent: int
    elapsed_s: float
    observed_at: datetime

    @property
    def readings_per_second(self) -> float:
        """Average send rate so far."""
        return self.readings_sent / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def line(self) -> str:
        """One line for a terminal."""
        return (
            f"step {self.steps_sent}/{self.steps_total}  {self.observed_at:%Y-%m-%d %H:%M}Z  "
            f"{self.readings_sent:,} readings  {self.readings_per_second:,.0f}/s"
        )


ProgressCallback = Callable[[EmulatorProgress], None]
"""Called about every ``progress_interval_s`` seconds, and once after the last step."""

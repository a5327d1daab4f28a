"""The time steps of an evaluated run, and which step a message's time stamp ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["RunSteps"]


@dataclass(frozen=True)
class RunSteps:
    """Steps ``0..n_steps-1``; step ``t`` covers ``start + t * step`` to ``start + (t+1) * step``.

    Attributes:
        start: start of step 0.
        step_minutes: step length.
        n_steps: steps in the run.
    """

    start: datetime
    step_minutes: int
    n_steps: int

    def step_ending_at(self, moment: datetime) -> int | None:
        """The step that ends at ``moment`` (a reading's, prediction's or observation's stamp);
        None when ``moment`` ends no step of the run."""
        offset = round((moment - self.start).total_seconds())
        step_seconds = self.step_minutes * 60
        step = offset // step_seconds - 1
        if offset % step_seconds or not 0 <= step < self.n_steps:
            return None
        return step

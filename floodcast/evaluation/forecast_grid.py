"""One forecast of one basin at every (step, reach): what is verified."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["ForecastGrid"]


@dataclass(frozen=True, eq=False)
class ForecastGrid:
    """A forecast for every step and reach of one basin's run.

    Attributes:
        warn: (steps, reaches) the reach is warned (on the flood path) at the step.
        probability: (steps, reaches) its flood probability; a 0/1 rule gives its warnings.
        eta_hours: (steps, reaches) hours until it floods (NaN where the forecast has none),
            or None for a forecast without ETAs.
    """

    warn: NDArray[np.bool_]
    probability: NDArray[np.float64]
    eta_hours: NDArray[np.float64] | None = None

    @classmethod
    def from_rule(cls, warn: NDArray[np.bool_]) -> ForecastGrid:
        """A yes/no rule: probability 1 where it warns, 0 elsewhere, no ETA."""
        return cls(warn=warn, probability=warn.astype(np.float64))

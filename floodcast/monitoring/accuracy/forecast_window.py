"""A sliding window of verified reach forecasts and its CSI and Brier score."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from converters.verification import brier_score, contingency, critical_success_index

__all__ = ["AccuracyScores", "ForecastWindow", "VerifiedForecast"]


@dataclass(frozen=True)
class AccuracyScores:
    """CSI and Brier score over the verified reach forecasts of the rolling window.

    A reach forecast is one reach of one prediction: its probability (0 off the path), whether
    it was warned (on the path) and whether the reach flooded within the prediction's horizon.
    """

    csi: float | None
    """hits / (hits + misses + false alarms); ``None`` when nothing was warned or flooded."""
    brier: float
    """Mean squared difference between probability and outcome (0 is perfect)."""
    forecasts: int
    """Verified reach forecasts in the window."""
    hits: int
    misses: int
    false_alarms: int
    ready: bool
    """The window holds the minimum number of forecasts for the scores to count."""


VerifiedForecast = tuple[float, bool, bool]
"""``(probability, warned, flooded)`` of one reach of one prediction."""


class ForecastWindow:
    """The latest ``size`` verified reach forecasts.

    Parameters:
        size: forecasts kept; older ones drop out as new ones arrive.
        minimum: forecasts needed before the scores are ``ready`` (at most ``size``).

    Examples:
        >>> window = ForecastWindow(size=4, minimum=2)
        >>> window.extend([(0.8, True, True), (0.6, True, False), (0.0, False, True)])
        >>> scores = window.scores()
        >>> round(scores.csi, 4), round(scores.brier, 4), scores.ready
        (0.3333, 0.4667, True)
    """

    def __init__(self, size: int, minimum: int = 1) -> None:
        self.size = size
        self.minimum = min(minimum, size)
        self._rows: deque[VerifiedForecast] = deque(maxlen=size)

    def __len__(self) -> int:
        return len(self._rows)

    def extend(self, forecasts: Iterable[VerifiedForecast]) -> None:
        """Add verified forecasts, oldest first."""
        self._rows.extend(forecasts)

    def scores(self) -> AccuracyScores | None:
        """The window's scores; ``None`` while it is empty."""
        if not self._rows:
            return None
        probability = np.fromiter((row[0] for row in self._rows), dtype=np.float64)
        warned = np.fromiter((row[1] for row in self._rows), dtype=bool)
        flooded = np.fromiter((row[2] for row in self._rows), dtype=bool)
        hits, misses, false_alarms = contingency(flooded, warned)
        csi = critical_success_index(flooded, warned)
        return AccuracyScores(
            csi=None if math.isnan(csi) else csi,
            brier=brier_score(flooded, probability),
            forecasts=len(self._rows),
            hits=hits,
            misses=misses,
            false_alarms=false_alarms,
            ready=len(self._rows) >= self.minimum,
        )

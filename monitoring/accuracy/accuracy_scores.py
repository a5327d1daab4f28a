"""Rolling verification scores of past predictions."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AccuracyScores"]


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

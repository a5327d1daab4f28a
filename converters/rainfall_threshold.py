"""The baseline: warn every reach of a basin when basin-mean 6 h rain exceeds a threshold."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from converters.verification import best_csi_threshold


class RainfallThresholdRule:
    """Basin-mean 6 h accumulation over a threshold fitted for the best training CSI.

    This is the rule of thumb many warning services start from; the learned model has to beat
    it on the same held-out storms.
    """

    def __init__(self) -> None:
        self.threshold_mm: float | None = None

    def fit(
        self, basin_rain_6h_mm: NDArray[np.floating], flooded: NDArray[np.bool_]
    ) -> RainfallThresholdRule:
        """Choose the accumulation threshold with the highest CSI on the training rows."""
        candidates = np.unique(np.quantile(basin_rain_6h_mm, np.linspace(0.5, 0.9995, 400)))
        candidates = candidates[candidates > 0]
        self.threshold_mm, _ = best_csi_threshold(flooded, basin_rain_6h_mm, candidates)
        return self

    def predict(self, basin_rain_6h_mm: NDArray[np.floating]) -> NDArray[np.bool_]:
        """Warn (True) where the basin-mean accumulation reaches the threshold."""
        if self.threshold_mm is None:
            raise RuntimeError("RainfallThresholdRule.predict called before fit")
        return np.asarray(basin_rain_6h_mm) >= self.threshold_mm

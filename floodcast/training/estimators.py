"""What is fitted and compared: the flood classifier families, the ETA regressor, and the
rainfall-threshold baseline (warn every reach when basin-mean 6 h rain exceeds a threshold)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)

from converters.verification import best_csi_threshold

ClassifierFactory = Callable[[int], ClassifierMixin]
"""Builds an unfitted classifier from a random seed."""


def hist_gradient_boosting(seed: int) -> ClassifierMixin:
    return HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.1, max_leaf_nodes=31, early_stopping=False, random_state=seed
    )


def random_forest(seed: int) -> ClassifierMixin:
    return RandomForestClassifier(
        n_estimators=60, max_depth=14, min_samples_leaf=5, n_jobs=2, random_state=seed
    )


CLASSIFIER_FAMILIES: dict[str, ClassifierFactory] = {
    "hist_gradient_boosting": hist_gradient_boosting,
    "random_forest": random_forest,
}
"""Both convert with skl2onnx (HistGradientBoosting with ``converters.skl2onnx_patches``)."""


def eta_regressor(seed: int) -> RegressorMixin:
    """Hours until flooding, fitted on rows that flood within the horizon."""
    return HistGradientBoostingRegressor(
        max_iter=200, learning_rate=0.1, max_leaf_nodes=31, early_stopping=False, random_state=seed
    )


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

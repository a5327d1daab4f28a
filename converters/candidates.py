"""The model families compared for the flood classifier, and the ETA regressor."""

from __future__ import annotations

from collections.abc import Callable

from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)

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

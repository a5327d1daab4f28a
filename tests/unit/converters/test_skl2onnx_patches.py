"""HistGradientBoosting models convert to ONNX and match scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from converters.onnx_export import export_flood_model, onnx_parity


def test_hist_gradient_boosting_pair_converts_with_parity() -> None:
    """With the converter fix, a HistGradientBoosting pair exports and agrees within 1e-4."""
    rng = np.random.default_rng(5)
    features = rng.normal(size=(12_000, 6)).astype(np.float32)
    flooded = features[:, 0] + features[:, 1] ** 2 > 1
    eta_hours = np.clip(3 + features[:, 2], 0, 6)
    classifier = HistGradientBoostingClassifier(max_iter=40, random_state=0)
    regressor = HistGradientBoostingRegressor(max_iter=40, random_state=0)
    classifier.fit(features[:2000], flooded[:2000])
    regressor.fit(features[:2000], eta_hours[:2000])
    model = export_flood_model(classifier, regressor, 6, name="hgb")
    diff = onnx_parity(model, classifier, regressor, features[2000:])
    assert max(diff.values()) < 1e-4

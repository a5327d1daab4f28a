"""Verification scores follow their textbook definitions."""

from __future__ import annotations

import numpy as np
import pytest

from converters.verification import best_csi_threshold, score_forecasts
from floodcast.training.estimators import RainfallThresholdRule


def test_contingency_scores() -> None:
    """2 hits, 1 miss, 1 false alarm: POD 2/3, FAR 1/3, CSI 1/2."""
    observed = np.array([1, 1, 1, 0, 0, 0], dtype=bool)
    probability = np.array([0.9, 0.8, 0.2, 0.7, 0.1, 0.0])
    scores = score_forecasts(observed, probability, threshold=0.5)
    assert (scores.hits, scores.misses, scores.false_alarms) == (2, 1, 1)
    assert scores.pod == pytest.approx(2 / 3)
    assert scores.far == pytest.approx(1 / 3)
    assert scores.csi == pytest.approx(0.5)
    assert scores.brier == pytest.approx(np.mean((probability - observed) ** 2))
    assert scores.roc_auc == pytest.approx(8 / 9)


def test_best_threshold_maximises_csi() -> None:
    """The chosen threshold separates the classes perfectly when one exists."""
    observed = np.array([0, 0, 1, 1], dtype=bool)
    score = np.array([1.0, 2.0, 5.0, 6.0])
    threshold, csi = best_csi_threshold(observed, score, np.array([1.5, 3.0, 5.5]))
    assert (threshold, csi) == (3.0, 1.0)


def test_rainfall_rule_learns_its_threshold() -> None:
    """The baseline's fitted threshold sits between dry and flood-producing accumulations."""
    rain = np.concatenate([np.linspace(0.1, 20, 200), np.linspace(35, 80, 50)])
    flooded = rain > 30
    rule = RainfallThresholdRule().fit(rain, flooded)
    assert rule.threshold_mm is not None and 20 < rule.threshold_mm <= 35
    np.testing.assert_array_equal(rule.predict(rain), flooded)

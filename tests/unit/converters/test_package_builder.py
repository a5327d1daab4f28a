"""A short training run produces a complete, loadable, honest package."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.model_package import load_package
from floodcast.training.package_builder import build_package
from floodcast.training.trainer import TrainingConfig
from stream_app.scoring.flood_scorer import FloodPathScorer


@pytest.mark.slow
def test_build_package_end_to_end(tmp_path: Path) -> None:
    """Simulate, train, export and package one basin; the stream's scorer loads the result."""
    stages: list[str] = []
    config = TrainingConfig(
        basins=("upland",), days=60, max_train_rows=5_000, split_seeds=2, bootstrap_replicates=50
    )
    manifest = build_package(config, tmp_path, progress=stages.append)
    assert stages[0] == "simulate" and stages[-1] == "package"
    metrics = manifest.metrics
    assert {
        "csi",
        "baseline_csi",
        "brier",
        "brier_skill",
        "onset_csi",
        "persistence_csi",
        "river_now_csi",
        "rain_over_bankfull_csi",
        "model_without_stage_csi",
        "model_without_forecast_csi",
        "model_without_stage_or_forecast_csi",
        "perfect_rain_upper_bound_csi",
        "episode_pod",
        "roc_auc",
        "onnx_max_abs_diff",
    } <= metrics.keys()
    assert metrics["csi_ci_low"] <= metrics["csi"] <= metrics["csi_ci_high"]
    assert metrics["split_seeds"] == 2
    assert metrics["persistence_far"] == 0.0
    evaluation = manifest.training["evaluation"]
    assert isinstance(evaluation, dict) and len(evaluation["model"]["csi"]["per_seed"]) == 2
    assert manifest.metrics["onnx_max_abs_diff"] < 1e-4
    assert manifest.metrics["onnx_parity_rows"] >= 1000
    assert manifest.model_family in manifest.training["family_comparison"]
    assert {"report/reliability.png", "report/hydrograph.png"} <= manifest.files.keys()
    scorer = FloodPathScorer(load_package(tmp_path))
    assert scorer.identity.sha256 == manifest.model_sha256
    assert list(scorer.geometries) == ["upland"]

"""A small model package built from synthetic rows, for package and export tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor

from converters.manifest import FeatureColumn, ModelOutput
from converters.model_package import write_package
from converters.onnx_export import export_flood_model
from features import FEATURE_NAMES, N_FEATURES
from tests.helpers.networks import y_basin


@pytest.fixture(scope="session")
def synthetic_rows() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(42)
    features = rng.gamma(2.0, 3.0, size=(12_000, N_FEATURES)).astype(np.float32)
    signal = features[:, 2] + 0.5 * features[:, 6] - 9.0
    flooded = signal + rng.normal(0, 2, len(signal)) > 0
    eta_hours = np.clip(6 - 0.3 * features[:, 0] + rng.normal(0, 0.3, len(signal)), 0, 6)
    return features, flooded, eta_hours.astype(np.float32)


@pytest.fixture(scope="session")
def trained_models(synthetic_rows):
    features, flooded, eta_hours = synthetic_rows
    classifier = GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0)
    regressor = GradientBoostingRegressor(n_estimators=30, max_depth=3, random_state=0)
    classifier.fit(features[:2000], flooded[:2000])
    regressor.fit(features[:2000], eta_hours[:2000])
    return classifier, regressor


@pytest.fixture(scope="session")
def onnx_model(trained_models):
    classifier, regressor = trained_models
    return export_flood_model(classifier, regressor, N_FEATURES, name="test-model")


def manifest_fields() -> dict[str, object]:
    return {
        "name": "floodcast-test",
        "version": "0.0.1",
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "features": [FeatureColumn(index=i, name=n) for i, n in enumerate(FEATURE_NAMES)],
        "outputs": [
            ModelOutput(name="flood_probability", description="P(flood within 6 h)"),
            ModelOutput(name="eta_hours", description="hours until flooding"),
        ],
        "horizon_hours": 6,
        "step_minutes": 15,
        "operating_threshold": 0.5,
        "model_family": "gradient_boosting",
        "training": {"seed": 0},
        "metrics": {"csi": 0.5},
        "versions": {"numpy": np.__version__},
    }


@pytest.fixture
def package_dir(tmp_path: Path, onnx_model) -> Path:
    folder = tmp_path / "pkg"
    write_package(
        folder,
        onnx_bytes=onnx_model.SerializeToString(),
        basins=[y_basin()],
        manifest_fields=manifest_fields(),
        compression="gzip",
        extra_files={"report/notes.txt": b"synthetic"},
    )
    return folder

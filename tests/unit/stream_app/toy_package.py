"""A small model package over the toy basin (shared by unit and integration tests)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor

from converters.features import N_FEATURES
from converters.model_package import write_package
from converters.onnx_export import export_flood_model
from converters.river_network import Basin
from tests.fixtures.model_package import manifest_fields
from tests.helpers.networks import y_basin


def write_toy_package(folder: Path, basins: Sequence[Basin] | None = None) -> Path:
    """Write a package whose model floods reaches after roughly 10 mm of rain in 6 hours.

    Args:
        folder: where to write it.
        basins: the basins it serves; default the toy Y-shaped basin.
    """
    rng = np.random.default_rng(7)
    rows = rng.gamma(2.0, 3.0, size=(3_000, N_FEATURES)).astype(np.float32)
    rows[:1_500, :7] = 0.0  # plenty of dry rows, so no rain means no flood
    flooded = rows[:, 2] + 0.5 * rows[:, 6] > 9.0
    eta_hours = np.clip(6.0 - 0.3 * rows[:, 0], 0.0, 6.0).astype(np.float32)
    classifier = GradientBoostingClassifier(n_estimators=15, max_depth=3, random_state=0)
    regressor = GradientBoostingRegressor(n_estimators=15, max_depth=3, random_state=0)
    model = export_flood_model(
        classifier.fit(rows, flooded), regressor.fit(rows, eta_hours), N_FEATURES, name="toy"
    )
    write_package(
        folder,
        onnx_bytes=model.SerializeToString(),
        basins=list(basins) if basins is not None else [y_basin()],
        compression="gzip",
        manifest_fields={**manifest_fields(), "name": "floodcast-toy"},
    )
    return folder

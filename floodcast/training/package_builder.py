"""Train, export, check and package a model in one reproducible run."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import skl2onnx
import sklearn

from converters.features import FEATURE_NAMES, N_FEATURES
from converters.features.spec import STEP_MINUTES
from converters.manifest import (
    DEFAULT_COMPRESSION,
    ETA_OUTPUT,
    PROBABILITY_OUTPUT,
    Compression,
    FeatureColumn,
    Manifest,
    ModelOutput,
)
from converters.model_package import write_package
from converters.onnx_export import export_flood_model, onnx_parity
from floodcast.training.report_figures import reliability_diagram, storm_hydrograph
from floodcast.training.trainer import (
    ProgressCallback,
    TrainingConfig,
    TrainingOutcome,
    train_flood_model,
)

"""``bench/scoring.py`` measured (1.1 MB model): gzip stores it at 1/6 of its size and loads in
about the same time as the raw file (16 vs 14 ms); bzip2 and lzma save 15 % more but load 1.5-2x
slower."""

PARITY_ROWS = 10_000


def library_versions() -> dict[str, str]:
    return {
        "scikit-learn": sklearn.__version__,
        "skl2onnx": skl2onnx.__version__,
        "onnx": onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
        "numpy": np.__version__,
    }


def _figures(outcome: TrainingOutcome) -> dict[str, bytes]:
    test = outcome.test
    flooded_rows = np.bincount(
        np.searchsorted(np.unique(test.event), test.event), weights=test.floods
    )
    event = int(np.unique(test.event)[int(np.argmax(flooded_rows))])
    basin_index, event_id = divmod(event, 1_000_000)
    return {
        "report/reliability.png": reliability_diagram(test.floods, outcome.test_probability),
        "report/hydrograph.png": storm_hydrograph(
            outcome.simulations[basin_index], outcome.classifier, event_id, outcome.threshold
        ),
    }


def build_package(
    config: TrainingConfig,
    folder: Path,
    *,
    compression: Compression = DEFAULT_COMPRESSION,
    progress: ProgressCallback = lambda stage: None,
) -> Manifest:
    """Train on the simulator, export to ONNX, check parity, and write the package.

    Raises:
        ExportError: conversion failed, or ONNX Runtime disagrees with scikit-learn.
    """
    outcome = train_flood_model(config, progress)
    progress("export")
    model = export_flood_model(outcome.classifier, outcome.regressor, N_FEATURES, name=config.name)
    parity_rows = outcome.test.features[:PARITY_ROWS]
    parity = onnx_parity(model, outcome.classifier, outcome.regressor, parity_rows)
    progress("package")
    metrics = {
        **outcome.metrics,
        **parity,
        "onnx_max_abs_diff": max(parity.values()),
        "onnx_parity_rows": float(len(parity_rows)),
    }
    return write_package(
        folder,
        onnx_bytes=model.SerializeToString(),
        basins=[sim.basin for sim in outcome.simulations],
        compression=compression,
        extra_files=_figures(outcome),
        manifest_fields=manifest_fields(outcome, metrics),
    )


def manifest_fields(outcome: TrainingOutcome, metrics: dict[str, float]) -> dict[str, object]:
    """The manifest's description of a trained model (files and compression come later)."""
    config = outcome.config
    return {
        "name": config.name,
        "version": config.version,
        "created_at": datetime.now(UTC),
        "features": [FeatureColumn(index=i, name=n) for i, n in enumerate(FEATURE_NAMES)],
        "outputs": [
            ModelOutput(
                name=PROBABILITY_OUTPUT,
                description=f"P(reach floods within {config.horizon_hours} h)",
            ),
            ModelOutput(name=ETA_OUTPUT, description="hours until the reach floods"),
        ],
        "horizon_hours": config.horizon_hours,
        "step_minutes": STEP_MINUTES,
        "operating_threshold": outcome.threshold,
        "model_family": outcome.family,
        "training": {
            "config": config.model_dump(mode="json"),
            "family_comparison": outcome.comparison,
            "evaluation": {
                forecast: {name: asdict(interval) for name, interval in scores.items()}
                for forecast, scores in outcome.skill.items()
            },
            "stage_seconds": outcome.timings,
        },
        "metrics": metrics,
        "versions": library_versions(),
    }

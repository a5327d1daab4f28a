"""Score reach features with the packaged ONNX model and assemble flood paths."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort
from numpy.typing import NDArray

from converters.features import BasinGeometry
from converters.manifest import ETA_OUTPUT, INPUT_NAME, PROBABILITY_OUTPUT
from converters.model_package import ModelPackage, require_current_features
from stream_app.scoring.flood_path import FloodPath, assemble_flood_path


@dataclass(frozen=True, slots=True)
class ModelIdentity:
    """What a prediction says about the model that made it."""

    name: str
    version: str
    sha256: str


class FloodPathScorer:
    """One ONNX Runtime session for every basin in a package.

    Args:
        package: a verified model package.
        intra_op_threads: ONNX Runtime threads per call; 1 suits a stream worker that
            scores micro-batches on a small machine.
    """

    def __init__(self, package: ModelPackage, *, intra_op_threads: int = 1) -> None:
        manifest = package.manifest
        require_current_features(manifest, package.path)
        options = ort.SessionOptions()
        options.intra_op_num_threads = intra_op_threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            package.onnx_bytes, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.threshold = manifest.operating_threshold
        self.horizon_hours = manifest.horizon_hours
        self.identity = ModelIdentity(manifest.name, manifest.version, manifest.model_sha256)
        self.basins = dict(package.basins)
        """The river networks the package serves, by basin id."""
        self.geometries = {bid: BasinGeometry.from_basin(b) for bid, b in package.basins.items()}
        self._depths = {bid: b.depth() for bid, b in package.basins.items()}

    def predict(
        self, features: NDArray[np.floating]
    ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """Flood probability and ETA (hours) for each row of ``features``."""
        rows = np.ascontiguousarray(features, dtype=np.float32)
        probability, eta_hours = self._session.run(
            [PROBABILITY_OUTPUT, ETA_OUTPUT], {INPUT_NAME: rows}
        )
        return probability, eta_hours

    def score_basins(self, batch: Sequence[tuple[str, NDArray[np.floating]]]) -> list[FloodPath]:
        """Score several basins' reach features in one model call.

        Args:
            batch: (basin id, (reaches, N_FEATURES) features) pairs.

        Returns:
            One flood path per pair, in order.
        """
        if not batch:
            return []
        stacked = np.concatenate([features for _, features in batch], axis=0)
        probability, eta_hours = self.predict(stacked)
        paths, start = [], 0
        for basin_id, features in batch:
            end = start + len(features)
            geometry = self.geometries[basin_id]
            eta_minutes = np.clip(eta_hours[start:end], 0.0, self.horizon_hours) * 60.0
            paths.append(
                assemble_flood_path(
                    geometry.reach_ids,
                    self._depths[basin_id],
                    probability[start:end],
                    eta_minutes,
                    self.threshold,
                )
            )
            start = end
        return paths

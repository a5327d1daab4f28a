"""Score reach features with the packaged ONNX model and assemble flood paths."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import onnx
import onnxruntime as ort
from numpy.typing import NDArray
from onnx.utils import Extractor

from converters.features import BasinGeometry
from converters.manifest import ETA_OUTPUT, INPUT_NAME, PROBABILITY_OUTPUT
from converters.model_package import ModelPackage, require_current_features
from stream_app.malloc_arenas import release_free_heap
from stream_app.scoring.flood_path import FloodPath, assemble_flood_path

_NO_PATH = FloodPath(reaches=())


@dataclass(frozen=True, slots=True)
class ModelIdentity:
    """What a prediction says about the model that made it."""

    name: str
    version: str
    sha256: str


class FloodPathScorer:
    """The package's model for every basin, as one ONNX Runtime session per output.

    The probability is computed for every reach and the ETA only for the reaches whose
    probability clears the threshold (the reaches of a path): ETAs of the others are never
    used, and the ETA regressor costs about as much per row as the classifier (issue 14).
    Each session holds the original graph's nodes for its output, so the values are the ones
    the whole graph gives.

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
        graph = Extractor(onnx.load_model_from_string(package.onnx_bytes))
        self._probability, self._eta = (
            ort.InferenceSession(
                graph.extract_model([INPUT_NAME], [output]).SerializeToString(),
                sess_options=options,
                providers=["CPUExecutionProvider"],
            )
            for output in (PROBABILITY_OUTPUT, ETA_OUTPUT)
        )
        del graph
        # the parsed graph (some 40 MB for the default model) and the sessions' build buffers
        # are free now, but would stay resident in the heap (issue 14: worker RSS)
        release_free_heap()
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
        return self._probability_of(rows), self._eta_of(rows)

    def _probability_of(self, rows: NDArray[np.float32]) -> NDArray[np.float32]:
        return self._probability.run([PROBABILITY_OUTPUT], {INPUT_NAME: rows})[0]

    def _eta_of(self, rows: NDArray[np.float32]) -> NDArray[np.float32]:
        return self._eta.run([ETA_OUTPUT], {INPUT_NAME: rows})[0]

    def score_basins(self, batch: Sequence[tuple[str, NDArray[np.floating]]]) -> list[FloodPath]:
        """Score several basins' reach features together: one probability call for all their
        rows, one ETA call for the rows on a path (none when no reach clears the threshold).

        Args:
            batch: (basin id, (reaches, N_FEATURES) features) pairs.

        Returns:
            One flood path per pair, in order.
        """
        if not batch:
            return []
        rows = np.ascontiguousarray(
            np.concatenate([features for _, features in batch], axis=0), dtype=np.float32
        )
        probability = self._probability_of(rows)
        # the comparison assemble_flood_path makes: rows off every path need no ETA
        on_path = probability >= self.threshold
        eta_hours = np.zeros_like(probability)
        if on_path.any():
            eta_hours[on_path] = self._eta_of(rows[on_path])
        paths, start = [], 0
        for basin_id, features in batch:
            end = start + len(features)
            if not on_path[start:end].any():
                paths.append(_NO_PATH)
                start = end
                continue
            eta_minutes = np.clip(eta_hours[start:end], 0.0, self.horizon_hours) * 60.0
            paths.append(
                assemble_flood_path(
                    self.geometries[basin_id].reach_ids,
                    self._depths[basin_id],
                    probability[start:end],
                    eta_minutes,
                    self.threshold,
                )
            )
            start = end
        return paths

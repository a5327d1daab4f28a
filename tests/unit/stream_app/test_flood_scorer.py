"""The scorer's sessions per output give the whole graph's values, and paths as if every ETA
had been computed (issue 14: the ETA runs only on the rows that clear the threshold)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from converters.features import N_FEATURES
from converters.manifest import ETA_OUTPUT, INPUT_NAME, PROBABILITY_OUTPUT
from converters.model_package import load_package
from stream_app.scoring.flood_path import assemble_flood_path
from stream_app.scoring.flood_scorer import FloodPathScorer


@pytest.fixture(scope="module")
def whole_graph(toy_package: Path) -> ort.InferenceSession:
    """The package's graph in one session, both outputs at once (the scorer's options)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(
        load_package(toy_package).onnx_bytes,
        sess_options=options,
        providers=["CPUExecutionProvider"],
    )


def _rows(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.gamma(2.0, 3.0, size=(n, N_FEATURES))
    rows[rng.random(n) < 0.5, :7] = 0.0  # dry rows, off the path
    return rows


def test_predict_gives_the_whole_graphs_outputs(toy_scorer: FloodPathScorer, whole_graph) -> None:
    """Probability and ETA per row are bit for bit the one-session values, in a batch of
    any size (a path's rows are scored apart from the others)."""
    rows = _rows(0, 257).astype(np.float32)
    expected = whole_graph.run([PROBABILITY_OUTPUT, ETA_OUTPUT], {INPUT_NAME: rows})
    for got, want in zip(toy_scorer.predict(rows), expected, strict=True):
        np.testing.assert_array_equal(got, want)
    for start, stop in [(0, 1), (5, 6), (7, 10), (100, 101)]:
        for got, want in zip(toy_scorer.predict(rows[start:stop]), expected, strict=True):
            np.testing.assert_array_equal(got, want[start:stop])


@pytest.mark.parametrize("seed", range(5))
def test_paths_match_paths_from_every_eta(toy_scorer: FloodPathScorer, whole_graph, seed) -> None:
    """Several basins scored together give the paths assembled from all the rows' outputs."""
    batch = [("toy", _rows(seed * 10 + i, 4)) for i in range(1 + seed * 3)]
    rows = np.concatenate([features for _, features in batch]).astype(np.float32)
    probability, eta_hours = whole_graph.run([PROBABILITY_OUTPUT, ETA_OUTPUT], {INPUT_NAME: rows})
    geometry, depth = toy_scorer.geometries["toy"], toy_scorer.basins["toy"].depth()
    expected = [
        assemble_flood_path(
            geometry.reach_ids,
            depth,
            probability[4 * i : 4 * i + 4],
            np.clip(eta_hours[4 * i : 4 * i + 4], 0.0, toy_scorer.horizon_hours) * 60.0,
            toy_scorer.threshold,
        )
        for i in range(len(batch))
    ]
    paths = toy_scorer.score_basins(batch)
    assert paths == expected
    assert any(path.reaches for path in paths) or seed == 0

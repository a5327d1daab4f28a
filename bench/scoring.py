"""Scoring cost: ONNX Runtime vs scikit-learn per row at batch 1, 32 and 1,024; package load.

Run: ``.venv/bin/python -m bench.scoring``. The scikit-learn models are trained here on a short
simulation with the production hyper-parameters, exported with the production exporter, and
both runtimes score the same held-out rows.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

from bench._report import median_seconds, write_results
from converters.features import N_FEATURES
from converters.manifest import ETA_OUTPUT, INPUT_NAME, PROBABILITY_OUTPUT
from converters.model_package import load_package, write_package
from converters.onnx_export import export_flood_model
from floodcast.training.package_builder import library_versions, manifest_fields
from floodcast.training.trainer import TrainingConfig, train_flood_model

BATCHES = (1, 32, 1024)
COMPRESSIONS = ("none", "gzip", "bzip2", "lzma")


def _session(onnx_bytes: bytes) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(
        onnx_bytes, sess_options=options, providers=["CPUExecutionProvider"]
    )


def _scoring(outcome, onnx_bytes: bytes) -> dict[str, dict[str, float]]:
    session = _session(onnx_bytes)
    rows = np.ascontiguousarray(outcome.test.features, dtype=np.float32)
    results = {}
    for batch in BATCHES:
        chunk = rows[:batch]
        repeats, inner = (15, max(1, 2000 // batch))
        sk = median_seconds(
            lambda chunk=chunk: (
                outcome.classifier.predict_proba(chunk),
                outcome.regressor.predict(chunk),
            ),
            repeats=repeats,
            inner=max(1, inner // 10),
        )
        ox = median_seconds(
            lambda chunk=chunk: session.run([PROBABILITY_OUTPUT, ETA_OUTPUT], {INPUT_NAME: chunk}),
            repeats=repeats,
            inner=inner,
        )
        results[f"batch_{batch}"] = {
            "sklearn_us_per_row": sk / batch * 1e6,
            "onnxruntime_us_per_row": ox / batch * 1e6,
            "speedup": sk / ox,
        }
    return results


def _package_loads(outcome, onnx_bytes: bytes, basins) -> dict[str, dict[str, float]]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for compression in COMPRESSIONS:
            folder = Path(tmp) / compression
            manifest = write_package(
                folder,
                onnx_bytes=onnx_bytes,
                basins=basins,
                compression=compression,
                manifest_fields=manifest_fields(outcome, metrics={}),
            )

            def load(folder: Path = folder) -> None:
                _session(load_package(folder).onnx_bytes)

            results[compression] = {
                "model_file_bytes": manifest.files[manifest.model_file].bytes,
                "load_ms": median_seconds(load, repeats=9) * 1e3,
            }
    return results


def _network_encodings(basins) -> dict[str, dict[str, int]]:
    """Bytes of each basin's adjacency: downstream index list (sparse) vs dense matrix."""
    sizes = {}
    for basin in basins:
        n = basin.n_reaches
        dense = np.zeros((n, n), dtype=np.uint8)
        upstream = np.flatnonzero(basin.downstream >= 0)
        dense[upstream, basin.downstream[upstream]] = 1
        sizes[basin.basin_id] = {
            "reaches": n,
            "sparse_json_bytes": len(json.dumps(basin.downstream.tolist())),
            "dense_json_bytes": len(json.dumps(dense.tolist())),
        }
    return sizes


def main() -> None:
    started = time.perf_counter()
    outcome = train_flood_model(TrainingConfig(days=90))
    onnx_bytes = export_flood_model(
        outcome.classifier, outcome.regressor, N_FEATURES, name="bench"
    ).SerializeToString()
    basins = [sim.basin for sim in outcome.simulations]
    scoring = _scoring(outcome, onnx_bytes)
    loads = _package_loads(outcome, onnx_bytes, basins)
    networks = _network_encodings(basins)
    print(f"model family: {outcome.family}; ONNX model {len(onnx_bytes) / 1e6:.2f} MB")
    print(f"{'batch':>6} {'sklearn µs/row':>15} {'onnxruntime µs/row':>19} {'ratio':>7}")
    for batch in BATCHES:
        r = scoring[f"batch_{batch}"]
        print(
            f"{batch:>6} {r['sklearn_us_per_row']:>15.2f} "
            f"{r['onnxruntime_us_per_row']:>19.2f} {r['speedup']:>6.1f}x"
        )
    print(f"{'compression':>11} {'model bytes':>12} {'load ms':>8}")
    for name, r in loads.items():
        print(f"{name:>11} {r['model_file_bytes']:>12,} {r['load_ms']:>8.1f}")
    for basin_id, r in networks.items():
        print(
            f"network {basin_id}: {r['reaches']} reaches, sparse {r['sparse_json_bytes']} B "
            f"vs dense {r['dense_json_bytes']} B"
        )
    path = write_results(
        "scoring",
        {
            "model_family": outcome.family,
            "onnx_model_bytes": len(onnx_bytes),
            "scoring": scoring,
            "package_load": loads,
            "network_adjacency": networks,
            "versions": library_versions(),
            "wall_seconds": time.perf_counter() - started,
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

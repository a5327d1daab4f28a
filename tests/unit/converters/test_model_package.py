"""Model packages round-trip and refuse tampered or incomplete contents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from converters.exceptions import PackageIncompleteError, PackageIntegrityError
from converters.model_package import load_package, model_file_name, verify_package, write_package
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.fixtures.model_package import manifest_fields
from tests.helpers.networks import y_basin


def test_round_trip_restores_model_and_networks(package_dir: Path, onnx_model) -> None:
    """A written package loads back with the same ONNX bytes and river network."""
    package = load_package(package_dir)
    assert package.onnx_bytes == onnx_model.SerializeToString()
    basin = package.basins["toy"]
    expected = y_basin()
    assert basin.reach_ids == expected.reach_ids
    np.testing.assert_array_equal(basin.downstream, expected.downstream)
    np.testing.assert_array_equal(basin.bankfull_m3s, expected.bankfull_m3s)
    assert package.manifest.model_file == model_file_name("gzip")
    assert set(package.manifest.files) == {"model.onnx.gz", "networks.json", "report/notes.txt"}


def test_one_changed_byte_in_the_model_is_refused(package_dir: Path) -> None:
    """Flipping one byte of the compressed model fails verification, naming the file."""
    model = package_dir / "model.onnx.gz"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0x01
    model.write_bytes(bytes(data))
    with pytest.raises(PackageIntegrityError, match="model.onnx.gz"):
        load_package(package_dir)


def test_missing_file_is_refused(package_dir: Path) -> None:
    """A package without one of its listed files is incomplete, and says which."""
    (package_dir / "networks.json").unlink()
    with pytest.raises(PackageIncompleteError, match="networks.json"):
        verify_package(package_dir)


def test_folder_without_manifest_is_not_a_package(tmp_path: Path) -> None:
    """An empty folder is reported as having no manifest."""
    with pytest.raises(PackageIncompleteError, match="manifest"):
        verify_package(tmp_path)


@pytest.mark.parametrize("compression", ["none", "gzip", "bzip2", "lzma"])
def test_every_compression_loads(tmp_path: Path, onnx_model, compression) -> None:
    """Each supported compression stores and restores the exact model bytes."""
    write_package(
        tmp_path,
        onnx_bytes=onnx_model.SerializeToString(),
        basins=[y_basin()],
        manifest_fields=manifest_fields(),
        compression=compression,
    )
    assert load_package(tmp_path).onnx_bytes == onnx_model.SerializeToString()


def test_scorer_serves_a_loaded_package(package_dir: Path, synthetic_rows, trained_models) -> None:
    """The stream's scorer returns the classifier's probabilities and a path per basin."""
    scorer = FloodPathScorer(load_package(package_dir))
    features = synthetic_rows[0][:4]
    probability, _ = scorer.predict(features)
    np.testing.assert_allclose(
        probability, trained_models[0].predict_proba(features)[:, 1], atol=1e-5
    )
    (path,) = scorer.score_basins([("toy", features)])
    assert set(path.reach_ids) == {
        rid for rid, p in zip(("A", "B", "C", "D"), probability, strict=True) if p >= 0.5
    }

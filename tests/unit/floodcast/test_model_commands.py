"""``floodcast model info`` and ``floodcast model verify`` on real packages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from converters.features import FEATURE_NAMES
from floodcast.cli import app

runner = CliRunner()


def test_info_json_carries_the_manifest(package_dir: Path) -> None:
    """--json prints the manifest, metrics included."""
    result = runner.invoke(app, ["model", "info", str(package_dir), "--json"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    assert manifest["metrics"]["csi"] == 0.5
    assert manifest["model_file"] == "model.onnx.gz"
    assert [f["name"] for f in manifest["features"]] == list(FEATURE_NAMES)


def test_verify_accepts_an_intact_package(package_dir: Path) -> None:
    """An untouched package verifies with exit code 0."""
    result = runner.invoke(app, ["model", "verify", str(package_dir)])
    assert result.exit_code == 0, result.output
    assert "files verified" in result.output


def test_verify_rejects_one_changed_byte(package_dir: Path) -> None:
    """One flipped byte in model.onnx.gz makes verify exit non-zero and name the file."""
    model = package_dir / "model.onnx.gz"
    data = bytearray(model.read_bytes())
    data[100] ^= 0xFF
    model.write_bytes(bytes(data))
    result = runner.invoke(app, ["model", "verify", str(package_dir)])
    assert result.exit_code == 1
    assert "model.onnx.gz" in result.output


def test_verify_rejects_a_package_for_other_features(package_dir: Path) -> None:
    """A package trained on an older feature list fails verify, so set-up retrains it."""
    path = package_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["features"] = manifest["features"][:21]
    path.write_text(json.dumps(manifest))
    result = runner.invoke(app, ["model", "verify", str(package_dir)])
    assert result.exit_code == 1
    assert "features differ" in result.output


def test_info_table_shows_the_scores_the_package_has(package_dir: Path) -> None:
    """The table lists the package's own scores and skips the ones it does not carry."""
    result = runner.invoke(app, ["model", "info", str(package_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "csi" in result.output and "0.5" in result.output
    assert "episode_pod" not in result.output.split("skill on every row")[0]

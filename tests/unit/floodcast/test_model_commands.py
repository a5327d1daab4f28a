"""``floodcast model info`` and ``floodcast model verify`` on real packages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from floodcast.cli import app

runner = CliRunner()


def test_info_json_carries_the_manifest(package_dir: Path) -> None:
    """--json prints the manifest, metrics included."""
    result = runner.invoke(app, ["model", "info", str(package_dir), "--json"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    assert manifest["metrics"]["csi"] == 0.5
    assert manifest["model_file"] == "model.onnx.gz"
    assert len(manifest["features"]) == 21


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

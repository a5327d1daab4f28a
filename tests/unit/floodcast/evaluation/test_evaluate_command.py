"""``floodcast evaluate`` refuses what it cannot measure honestly, before any broker is used."""

from __future__ import annotations

from pathlib import Path

import pytest
from onnx import ModelProto
from typer.testing import CliRunner

from converters.model_package import write_package
from floodcast.cli import app
from tests.fixtures.model_package import manifest_fields
from tests.helpers.networks import y_basin

runner = CliRunner()


def _package(tmp_path: Path, onnx_model: ModelProto, **changes: object) -> Path:
    folder = tmp_path / "pkg"
    write_package(
        folder,
        onnx_bytes=onnx_model.SerializeToString(),
        basins=[y_basin()],
        manifest_fields={**manifest_fields(), **changes},
        compression="gzip",
    )
    return folder


@pytest.mark.parametrize("seed", [100, 101, 102])
def test_a_training_seed_is_refused(tmp_path: Path, onnx_model: ModelProto, seed: int) -> None:
    """The trainer seeds basin i with seed + i: each of those seeds would replay training
    storms, so each is refused."""
    package = _package(
        tmp_path,
        onnx_model,
        training={"config": {"seed": 100, "basins": ["a", "b", "c"]}},
        metrics={"climatology_flood_rate": 0.04, "climatology_eta_hours": 3.0},
    )
    result = runner.invoke(app, ["evaluate", "--seed", str(seed), "--model", str(package)])
    assert result.exit_code == 1
    assert "replays training storms" in result.output


def test_a_package_without_climatology_is_refused(tmp_path: Path, onnx_model: ModelProto) -> None:
    """The Brier skill score and the ETA error need the training references."""
    package = _package(tmp_path, onnx_model, training={"config": {"seed": 100}})
    result = runner.invoke(app, ["evaluate", "--seed", "7", "--model", str(package)])
    assert result.exit_code == 1
    assert "climatology" in result.output


def test_an_unknown_storm_kind_is_a_usage_error() -> None:
    """--storms takes the emulator's storm choices only."""
    result = runner.invoke(app, ["evaluate", "--storms", "hurricane"])
    assert result.exit_code == 2


def test_an_unknown_input_set_is_a_usage_error() -> None:
    """--inputs takes all (rain, river levels, forecasts) or rain only."""
    result = runner.invoke(app, ["evaluate", "--inputs", "stage"])
    assert result.exit_code == 2
    assert "all, rain" in result.output

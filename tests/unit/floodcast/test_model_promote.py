"""``floodcast model promote`` makes a verified package the active release."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from converters.releases import read_active_release
from floodcast.cli import app
from schemas.settings import get_settings

runner = CliRunner()


@pytest.fixture
def pointer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """FLOODCAST_MODEL_ACTIVE_POINTER set to a pointer under ``tmp_path`` (settings re-read)."""
    path = tmp_path / "models" / "active.json"
    monkeypatch.setenv("FLOODCAST_MODEL_ACTIVE_POINTER", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_promote_points_the_active_release_at_the_package(package_dir: Path, pointer: Path) -> None:
    """Exit 0, and the pointer names a copy of the package's model."""
    result = runner.invoke(app, ["model", "promote", str(package_dir)])
    assert result.exit_code == 0, result.output
    active = read_active_release(pointer)
    assert active is not None
    assert active.sha256[:16] in result.output
    assert (active.folder(pointer) / "manifest.json").is_file()


def test_promote_refuses_a_tampered_package(
    package_dir: Path, pointer: Path, tmp_path: Path
) -> None:
    """A changed byte: exit 1, the file named, and no pointer written."""
    tampered = Path(shutil.copytree(package_dir, tmp_path / "tampered"))
    model = tampered / "model.onnx.gz"
    data = bytearray(model.read_bytes())
    data[50] ^= 0xFF
    model.write_bytes(bytes(data))
    result = runner.invoke(app, ["model", "promote", str(tampered)])
    assert result.exit_code == 1
    assert "model.onnx.gz" in result.output
    assert not pointer.exists()

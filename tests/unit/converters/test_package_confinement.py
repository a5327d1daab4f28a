"""Issue 13: a manifest names files in its package only, read bounded, decompressed capped."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from converters.exceptions import PackageError, PackageFormatError, PackageIntegrityError
from converters.model_package import load_package, verify_package

MIB = 1024 * 1024


@contextlib.contextmanager
def _peak_memory() -> Iterator[list[int]]:
    """Yield a list that holds, after the block, the peak of Python allocations within it."""
    peak = [0]
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def _list_file(folder: Path, name: str, data: bytes) -> None:
    """Add ``name`` to the manifest with the digest and size of ``data``."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("escape", ["parent", "absolute"])
def test_a_name_outside_the_package_is_refused(
    package_dir: Path, tmp_path: Path, escape: str
) -> None:
    """A manifest listing ``../secret`` or an absolute path is refused, not read."""
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not part of any package")
    name = "../secret.txt" if escape == "parent" else str(secret)
    _list_file(package_dir, name, secret.read_bytes())
    with pytest.raises(PackageFormatError, match="secret.txt"):
        verify_package(package_dir)


@pytest.mark.parametrize("name", ["report/../networks.json", "./networks.json", "a//b", "a\\b"])
def test_a_name_that_is_not_normalised_is_refused(package_dir: Path, name: str) -> None:
    """Names must be normalised POSIX relative paths: no '..', '.', empty part or backslash."""
    _list_file(package_dir, name, (package_dir / "networks.json").read_bytes())
    with pytest.raises(PackageFormatError):
        verify_package(package_dir)


def test_a_symlinked_file_is_refused(package_dir: Path, tmp_path: Path) -> None:
    """A listed file that is a symlink (here to an identical file elsewhere) is refused."""
    networks = package_dir / "networks.json"
    elsewhere = tmp_path / "networks-elsewhere.json"
    elsewhere.write_bytes(networks.read_bytes())
    networks.unlink()
    networks.symlink_to(elsewhere)
    with pytest.raises(PackageFormatError, match="networks.json"):
        verify_package(package_dir)


def test_a_symlinked_folder_inside_the_package_is_refused(
    package_dir: Path, tmp_path: Path
) -> None:
    """A folder of the package that is a symlink is refused even if the file it leads to fits."""
    report = package_dir / "report"
    outside = tmp_path / "report-elsewhere"
    report.rename(outside)
    report.symlink_to(outside, target_is_directory=True)
    with pytest.raises(PackageFormatError, match="report"):
        verify_package(package_dir)


@pytest.mark.timeout(10)
def test_a_listed_fifo_is_refused_without_blocking(package_dir: Path) -> None:
    """A listed name that is not a regular file (a FIFO: reading it would block) is refused."""
    os.mkfifo(package_dir / "pipe")
    _list_file(package_dir, "pipe", b"")
    with pytest.raises(PackageFormatError, match="pipe"):
        verify_package(package_dir)


def test_a_file_larger_than_listed_is_refused_before_it_is_read(package_dir: Path) -> None:
    """A 64 MiB file listed as 3 bytes is refused on its size, never read into memory."""
    big = package_dir / "report" / "big.bin"
    with big.open("wb") as out:
        out.truncate(64 * MIB)  # sparse: costs no disk
    _list_file(package_dir, "report/big.bin", b"abc")
    with _peak_memory() as peak, pytest.raises(PackageIntegrityError, match="big.bin"):
        verify_package(package_dir)
    assert peak[0] < 8 * MIB


def test_decompression_is_capped_by_the_recorded_size(package_dir: Path) -> None:
    """A 64 MiB gzip bomb in place of the model is refused once past the manifest's size."""
    recorded = len(load_package(package_dir).onnx_bytes)
    bomb = gzip.compress(bytes(64 * MIB), compresslevel=9, mtime=0)
    (package_dir / "model.onnx.gz").write_bytes(bomb)
    _list_file(package_dir, "model.onnx.gz", bomb)
    manifest = json.loads((package_dir / "manifest.json").read_text())
    assert manifest["model_onnx_bytes"] == recorded
    with _peak_memory() as peak, pytest.raises(PackageFormatError, match="model.onnx.gz"):
        load_package(package_dir)
    assert peak[0] < 16 * MIB


def test_a_compressed_model_without_a_recorded_size_is_refused(package_dir: Path) -> None:
    """A compressed model whose decompressed size the manifest does not state is not loaded."""
    manifest = json.loads((package_dir / "manifest.json").read_text())
    manifest.pop("model_onnx_bytes", None)
    (package_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PackageFormatError, match="model_onnx_bytes"):
        load_package(package_dir)


def test_a_manifest_over_its_size_limit_is_refused(package_dir: Path) -> None:
    """A manifest of several MiB is refused on its size, before it is parsed."""
    manifest = json.loads((package_dir / "manifest.json").read_text())
    manifest["training"] = {"padding": "x" * (4 * MIB)}
    (package_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PackageError, match="manifest.json"):
        verify_package(package_dir)

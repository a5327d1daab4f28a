"""Promotion verifies a package, copies it and replaces the active-release pointer atomically."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from converters.exceptions import PackageFormatError, PackageIntegrityError, PackageSignatureError
from converters.model_package import load_package
from converters.package_signature import sign_package
from converters.releases import (
    ReleaseWatch,
    active_package_path,
    promote_package,
    read_active_release,
)

KEY = b"k" * 32
AT = datetime(2026, 3, 1, tzinfo=UTC)


def _copy(source: Path, tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(source, tmp_path / name))


def test_promote_copies_the_release_and_points_at_it(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """The pointer names a verified copy under releases/<version>-<sha12> with its identity."""
    first, _ = releases
    pointer = tmp_path / "models" / "active.json"
    active = promote_package(first, pointer, clock=lambda: AT)
    manifest = load_package(first).manifest
    assert active.release == f"releases/0.0.1-{manifest.model_sha256[:12]}"
    assert (active.version, active.sha256) == ("0.0.1", manifest.model_sha256)
    assert read_active_release(pointer) == active
    assert load_package(active.folder(pointer)).manifest == manifest
    assert active_package_path(pointer, tmp_path / "fallback") == active.folder(pointer)


def test_second_promotion_replaces_the_pointer_and_keeps_the_old_release(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """Promoting 0.0.2 repoints to it; 0.0.1 stays for a rollback; no temporary file is left."""
    first, second = releases
    pointer = tmp_path / "active.json"
    old = promote_package(first, pointer)
    new = promote_package(second, pointer)
    assert read_active_release(pointer) == new
    assert new.sha256 != old.sha256
    assert old.folder(pointer).is_dir()
    leftovers = [p.name for p in tmp_path.rglob(".*")]
    assert leftovers == []
    assert promote_package(first, pointer).release == old.release  # rollback reuses the copy


def test_tampered_package_is_refused_and_the_pointer_kept(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """One flipped byte in the model makes promotion fail; the previous release stays active."""
    first, second = releases
    pointer = tmp_path / "active.json"
    active = promote_package(first, pointer)
    tampered = _copy(second, tmp_path, "tampered")
    model = tampered / "model.onnx.gz"
    data = bytearray(model.read_bytes())
    data[100] ^= 0xFF
    model.write_bytes(bytes(data))
    with pytest.raises(PackageIntegrityError):
        promote_package(tampered, pointer)
    assert read_active_release(pointer) == active
    assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == [
        active.release.split("/")[1]
    ]


def test_failed_pointer_write_leaves_the_old_pointer_whole(
    releases: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while the new pointer is written leaves the old one intact and no temp file."""
    first, second = releases
    pointer = tmp_path / "active.json"
    active = promote_package(first, pointer)

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("converters.releases.os.fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        promote_package(second, pointer)
    assert read_active_release(pointer) == active
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unsigned_package_is_refused_when_a_key_is_set(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """With a key, an unsigned package is not promoted; a signed copy is, signature and all."""
    first, _ = releases
    pointer = tmp_path / "active.json"
    with pytest.raises(PackageSignatureError):
        promote_package(first, pointer, KEY)
    assert read_active_release(pointer) is None
    signed = _copy(first, tmp_path, "signed")
    sign_package(signed, KEY)
    active = promote_package(signed, pointer, KEY)
    assert (active.folder(pointer) / "manifest.json.hmac-sha256").is_file()


def test_invalid_pointer_is_a_format_error(tmp_path: Path) -> None:
    """A pointer that is not a pointer raises PackageFormatError; a missing one means none."""
    pointer = tmp_path / "active.json"
    assert read_active_release(pointer) is None
    assert active_package_path(pointer, tmp_path / "fallback") == tmp_path / "fallback"
    pointer.write_text(json.dumps({"release": "x"}))
    with pytest.raises(PackageFormatError):
        read_active_release(pointer)


def test_release_watch_reports_each_new_release_once(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """The watch ignores the loaded release, loads a newly promoted one once, then nothing."""
    first, second = releases
    pointer = tmp_path / "active.json"
    loaded = promote_package(first, pointer)
    watch = ReleaseWatch(pointer, None, loaded.sha256)
    assert watch.poll() is None
    promote_package(second, pointer)
    package = watch.poll()
    assert package is not None
    assert package.manifest.version == "0.0.2"
    assert watch.poll() is None


def test_release_watch_does_not_retry_a_refused_release(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """A release whose files changed after promotion is refused once, not at every poll."""
    first, second = releases
    pointer = tmp_path / "active.json"
    watch = ReleaseWatch(pointer, None, promote_package(first, pointer).sha256)
    broken = promote_package(second, pointer)
    (broken.folder(pointer) / "networks.json").write_text("[]")
    with pytest.raises(PackageIntegrityError):
        watch.poll()
    assert watch.poll() is None

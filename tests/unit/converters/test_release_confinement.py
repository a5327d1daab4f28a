"""Issue 13: promotion writes under releases/ only; the pointer names a release there, by digest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from converters.exceptions import PackageFormatError, PackageIntegrityError
from converters.releases import ReleaseWatch, promote_package, read_active_release
from tests.helpers.model_releases import write_release


def test_promote_never_writes_outside_releases(releases: tuple[Path, Path], tmp_path: Path) -> None:
    """A package whose version is ``../../escaped`` is refused and nothing lands outside."""
    first, _ = releases
    hostile = write_release(first, tmp_path / "hostile", "../../escaped")
    pointer = tmp_path / "models" / "active.json"
    with pytest.raises(PackageFormatError, match="version"):
        promote_package(hostile, pointer)
    assert not list(tmp_path.glob("escaped*"))
    assert not list((tmp_path / "models").glob("escaped*"))
    assert read_active_release(pointer) is None


@pytest.mark.parametrize(
    "release", ["../first", "/etc", "releases/../../first", "releases/a/b", "releases"]
)
def test_a_pointer_naming_a_folder_outside_releases_is_refused(
    releases: tuple[Path, Path], tmp_path: Path, release: str
) -> None:
    """The pointer's release must be one folder directly under releases/ beside it."""
    first, _ = releases
    pointer = tmp_path / "models" / "active.json"
    active = promote_package(first, pointer)
    pointer.write_text(json.dumps({**json.loads(pointer.read_text()), "release": release}))
    assert active.release != release
    with pytest.raises(PackageFormatError):
        read_active_release(pointer)


def test_a_symlinked_release_folder_is_refused(releases: tuple[Path, Path], tmp_path: Path) -> None:
    """A release folder replaced by a symlink to a package elsewhere is not loaded."""
    from converters.releases import load_active_package

    first, _ = releases
    pointer = tmp_path / "active.json"
    active = promote_package(first, pointer)
    folder = active.folder(pointer)
    shutil.rmtree(folder)
    folder.symlink_to(first, target_is_directory=True)
    with pytest.raises(PackageFormatError, match="symlink"):
        load_active_package(pointer, tmp_path / "fallback", None)


def test_the_pointer_digest_must_match_what_is_loaded(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """A pointer whose sha256 is not the release's model digest is refused, at start and reload."""
    from converters.releases import load_active_package

    first, second = releases
    pointer = tmp_path / "active.json"
    loaded = promote_package(first, pointer)
    watch = ReleaseWatch(pointer, None, loaded.sha256)
    newer = promote_package(second, pointer)
    # the release folder now holds another (valid) package than the pointer claims
    shutil.rmtree(newer.folder(pointer))
    shutil.copytree(first, newer.folder(pointer))
    with pytest.raises(PackageIntegrityError, match="sha256"):
        load_active_package(pointer, tmp_path / "fallback", None)
    with pytest.raises(PackageIntegrityError, match="sha256"):
        watch.poll()


def test_load_active_package_falls_back_without_a_pointer(
    releases: tuple[Path, Path], tmp_path: Path
) -> None:
    """Without a promoted release the fallback package is served; with one, the release."""
    from converters.releases import load_active_package

    first, second = releases
    pointer = tmp_path / "active.json"
    assert load_active_package(None, first, None).manifest.version == "0.0.1"
    assert load_active_package(pointer, first, None).manifest.version == "0.0.1"
    promote_package(second, pointer)
    assert load_active_package(pointer, first, None).manifest.version == "0.0.2"

"""Model releases: promote a package to the active release, read which one is active, and
notice and load (verified) a newly promoted one (the worker and the API poll this)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from converters.exceptions import PackageFormatError, PackageIntegrityError
from converters.manifest import MANIFEST_NAME, MAX_MANIFEST_BYTES, Manifest
from converters.model_package import ModelPackage, load_package, verify_package
from converters.package_files import read_limited
from converters.package_signature import (
    MAX_SIGNATURE_BYTES,
    SIGNATURE_NAME,
    load_signed_package,
)

__all__ = [
    "ActiveRelease",
    "RELEASES_DIR",
    "ReleaseWatch",
    "active_package_path",
    "load_active_package",
    "load_verified_package",
    "promote_package",
    "read_active_release",
]

RELEASES_DIR = "releases"
"""Folder beside the pointer that holds every promoted package."""

_RELEASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")
"""A release folder's name: one path part that cannot be '.', '..' or hidden (issue 13)."""
_MAX_POINTER_BYTES = 64 * 1024


class ActiveRelease(BaseModel):
    """The pointer's contents: which release is active, and what it is."""

    model_config = ConfigDict(frozen=True)

    release: str = Field(pattern=rf"^{RELEASES_DIR}/{_RELEASE_NAME.pattern}$")
    """Release folder, relative to the pointer's folder: always one folder under releases/."""
    name: str
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """Digest of the release's ONNX model file."""
    promoted_at: AwareDatetime

    def folder(self, pointer: Path) -> Path:
        """The release's package folder."""
        return pointer.parent / self.release

    def load(self, pointer: Path, key: bytes | None) -> ModelPackage:
        """Load the release, refusing a symlinked folder or a model of another digest.

        Raises:
            PackageFormatError: the releases folder or the release is a symlink.
            PackageIntegrityError: the model loaded is not the one the pointer names.
            PackageError: the package fails verification.
        """
        folder = self.folder(pointer)
        for part in (folder.parent, folder):
            if part.is_symlink():
                raise PackageFormatError(f"{part}: a symlink; releases must be real folders")
        package = load_verified_package(folder, key)
        if package.manifest.model_sha256 != self.sha256:
            raise PackageIntegrityError(
                f"{folder}: model sha256 {package.manifest.model_sha256} is not the "
                f"pointer's {self.sha256}"
            )
        return package


def load_verified_package(folder: Path, key: bytes | None) -> ModelPackage:
    """Load a package after checking every file's sha256, and its signature when ``key`` is set.

    Raises:
        PackageError: the package is missing, altered, unsigned (with a key) or unreadable.
    """
    return load_signed_package(folder, key) if key else load_package(folder)


def read_active_release(pointer: Path) -> ActiveRelease | None:
    """The release the pointer names, or None when nothing was promoted yet.

    Raises:
        PackageFormatError: the pointer is not a valid pointer file.
    """
    if not pointer.exists():
        return None
    raw = read_limited(pointer.parent, pointer.name, _MAX_POINTER_BYTES)
    try:
        return ActiveRelease.model_validate_json(raw)
    except ValidationError as exc:
        raise PackageFormatError(f"{pointer}: invalid active-release pointer: {exc}") from exc


def active_package_path(pointer: Path | None, fallback: Path) -> Path:
    """The package to load: the pointer's release when one was promoted, else ``fallback``.

    Raises:
        PackageFormatError: the pointer is not a valid pointer file.
    """
    release = read_active_release(pointer) if pointer is not None else None
    return release.folder(pointer) if release is not None and pointer is not None else fallback


def load_active_package(pointer: Path | None, fallback: Path, key: bytes | None) -> ModelPackage:
    """Load the pointer's release (checked against its digest) when one was promoted.

    Args:
        pointer: the active-release pointer, or None when releases are not used.
        fallback: the package served when there is no pointer or nothing was promoted.
        key: HMAC key; set = the package must carry a valid signature.

    Raises:
        PackageError: the pointer is invalid, or the package fails verification.
    """
    release = read_active_release(pointer) if pointer is not None else None
    if release is None or pointer is None:
        return load_verified_package(fallback, key)
    return release.load(pointer, key)


def promote_package(
    source: Path,
    pointer: Path,
    key: bytes | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ActiveRelease:
    """Verify ``source``, copy it into the releases folder and make it the active release.

    Args:
        source: the package folder to promote.
        pointer: the active-release pointer file (created with its folder if missing).
        key: HMAC key; set = the package must carry a valid signature.
        clock: time of promotion.

    Returns:
        The new pointer's contents.

    Raises:
        PackageError: the package (or its copy) fails verification; the pointer is unchanged.
    """
    manifest = load_verified_package(source, key).manifest
    name = f"{manifest.version}-{manifest.model_sha256[:12]}"
    if not _RELEASE_NAME.fullmatch(name):
        raise PackageFormatError(f"{source}: version {manifest.version!r} is no release name")
    releases = pointer.parent / RELEASES_DIR
    releases.mkdir(mode=0o700, parents=True, exist_ok=True)
    if releases.is_symlink():
        raise PackageFormatError(f"{releases}: a symlink; releases must be a real folder")
    target = releases / name
    if not target.exists():
        _copy_release(source, manifest, releases, target)
    # Verify what will be served, not what was handed in: the copy (or an earlier one).
    copied = load_verified_package(target, key).manifest
    if copied != manifest:
        raise PackageFormatError(f"{target}: holds another package than {source}")
    active = ActiveRelease(
        release=f"{RELEASES_DIR}/{name}",
        name=manifest.name,
        version=manifest.version,
        sha256=manifest.model_sha256,
        promoted_at=clock(),
    )
    _write_atomically(pointer, active.model_dump_json(indent=2).encode() + b"\n")
    return active


def _copy_release(source: Path, manifest: Manifest, releases: Path, target: Path) -> None:
    """Write the verified bytes of the package (and its signature) into place.

    The bytes written are the ones just checked, read through the confined reader, so
    nothing the manifest names outside ``source`` and no symlink is ever copied.
    """
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
    try:
        copied, contents = verify_package(source)
        # the manifest copied must be the one verified
        if copied != manifest:
            raise PackageFormatError(f"{source}: the manifest changed during promotion")
        files = {MANIFEST_NAME: read_limited(source, MANIFEST_NAME, MAX_MANIFEST_BYTES), **contents}
        if (source / SIGNATURE_NAME).exists():
            files[SIGNATURE_NAME] = read_limited(source, SIGNATURE_NAME, MAX_SIGNATURE_BYTES)
        for name, data in files.items():
            destination = staging / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file in its folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class ReleaseWatch:
    """Compares the active-release pointer with the release last seen.

    Each pointer is tried once: a refused package is not retried at every poll (its error
    would flood the log), only when the pointer changes again.

    Args:
        pointer: the active-release pointer file.
        key: HMAC key; set = releases must carry a valid signature.
        loaded_sha256: digest of the model in use, so that its own pointer is no change.
    """

    def __init__(self, pointer: Path, key: bytes | None, loaded_sha256: str | None) -> None:
        self.pointer = pointer
        self.key = key
        self.loaded_sha256 = loaded_sha256
        self._seen: ActiveRelease | None = None

    def poll(self) -> ModelPackage | None:
        """Load the active release if the pointer changed since the last poll.

        Returns:
            The newly active package, verified; None when nothing changed.

        Raises:
            PackageError: the pointer or the package it names is invalid; it is not retried.
        """
        release = read_active_release(self.pointer)
        if release is None or release == self._seen:
            return None
        self._seen = release
        if release.sha256 == self.loaded_sha256:
            return None
        return release.load(self.pointer, self.key)

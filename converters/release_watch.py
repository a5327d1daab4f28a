"""Notice a newly promoted release and load it, verified (the worker and the API poll this)."""

from __future__ import annotations

from pathlib import Path

from converters.active_release import (
    ActiveRelease,
    load_verified_package,
    read_active_release,
)
from converters.model_package import ModelPackage

__all__ = ["ReleaseWatch"]


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
        return load_verified_package(release.folder(self.pointer), self.key)

"""Read a package's files confined to its folder, size-checked before reading (issue 13).

A manifest, a signature or a pointer is input from whoever wrote the package, so a file name
it holds is checked before it is used: a normalised relative POSIX path, opened component by
component under the package folder without following symlinks, and only when it is a regular
file of the expected size; a read never takes more than that size.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from converters.exceptions import (
    PackageFormatError,
    PackageIncompleteError,
    PackageIntegrityError,
)

__all__ = ["MAX_NAME_CHARS", "check_file_name", "read_exact", "read_limited"]

MAX_NAME_CHARS = 255
"""Longest file name a manifest may list."""


def check_file_name(name: str) -> str:
    """Return ``name`` if it is a normalised relative POSIX path inside a package.

    Raises:
        ValueError: the name is empty, absolute, has an empty, '.' or '..' part, a
            backslash or a NUL, or is longer than :data:`MAX_NAME_CHARS`.
    """
    if not name or len(name) > MAX_NAME_CHARS or "\\" in name or "\x00" in name:
        raise ValueError(f"{name!r}: not a package file name")
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{name!r}: not a normalised relative path inside the package")
    if str(PurePosixPath(name)) != name:
        raise ValueError(f"{name!r}: not a normalised relative path inside the package")
    return name


@contextlib.contextmanager
def _open_confined(folder: Path, name: str) -> Iterator[tuple[int, os.stat_result]]:
    """Open ``folder/name`` without following any symlink below ``folder``; yield fd and stat."""
    try:
        parts = check_file_name(name).split("/")
    except ValueError as exc:
        raise PackageFormatError(f"{folder}: {exc}") from exc
    path = folder / name
    descriptors: list[int] = []
    try:
        try:
            descriptors.append(os.open(folder, os.O_RDONLY | os.O_DIRECTORY))
            for part in parts[:-1]:
                flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                descriptors.append(os.open(part, flags, dir_fd=descriptors[-1]))
            # O_NONBLOCK: opening a FIFO must not wait for a writer
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
            descriptors.append(os.open(parts[-1], flags, dir_fd=descriptors[-1]))
        except FileNotFoundError as exc:
            raise PackageIncompleteError(f"{path}: listed but missing") from exc
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise PackageFormatError(f"{path}: a symlink or not a folder") from exc
            raise PackageFormatError(f"{path}: cannot be opened: {exc}") from exc
        info = os.fstat(descriptors[-1])
        if not stat.S_ISREG(info.st_mode):
            raise PackageFormatError(f"{path}: not a regular file")
        yield descriptors[-1], info
    finally:
        for descriptor in reversed(descriptors):
            os.close(descriptor)


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(descriptor, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_exact(folder: Path, name: str, size: int) -> bytes:
    """Read a listed file that must hold exactly ``size`` bytes.

    Raises:
        PackageFormatError: the name leaves the package, crosses a symlink or is no regular file.
        PackageIncompleteError: the file is missing.
        PackageIntegrityError: its size is not ``size`` (checked before reading).
    """
    with _open_confined(folder, name) as (descriptor, info):
        if info.st_size != size:
            raise PackageIntegrityError(
                f"{folder / name}: {info.st_size} bytes, the manifest lists {size}"
            )
        data = _read_at_most(descriptor, size + 1)
    if len(data) != size:
        raise PackageIntegrityError(f"{folder / name}: changed while it was read")
    return data


def read_limited(folder: Path, name: str, limit: int) -> bytes:
    """Read a file of the package that may hold at most ``limit`` bytes (manifest, signature).

    Raises:
        PackageFormatError: the file is over ``limit``, crosses a symlink or is no regular file.
        PackageIncompleteError: the file is missing.
    """
    with _open_confined(folder, name) as (descriptor, info):
        if info.st_size > limit:
            raise PackageFormatError(f"{folder / name}: over its limit of {limit} bytes")
        data = _read_at_most(descriptor, limit + 1)
    if len(data) > limit:
        raise PackageFormatError(f"{folder / name}: over its limit of {limit} bytes")
    return data

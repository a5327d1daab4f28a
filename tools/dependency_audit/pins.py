"""The exact pins of a pip lock file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version
from pip_requirements_parser import RequirementsFile

from tools.dependency_audit.exceptions import LockFileError

__all__ = ["Pin", "read_pins"]


@dataclass(frozen=True, order=True)
class Pin:
    """One locked distribution."""

    name: str
    """Canonical (PEP 503) project name."""
    version: Version


def read_pins(lock_file: Path) -> list[Pin]:
    """Every requirement of ``lock_file``, each of which must be pinned with ``==``.

    Args:
        lock_file: a pip-compile output (hashes and options are allowed).

    Returns:
        The pins, sorted by name.

    Raises:
        LockFileError: the file is unreadable or a requirement is not an exact pin.
    """
    try:
        requirements = RequirementsFile.from_file(str(lock_file)).requirements
    except (OSError, ValueError) as exc:
        raise LockFileError(f"cannot read {lock_file}") from exc
    pins = []
    for requirement in requirements:
        if not requirement.is_pinned:
            raise LockFileError(f"{lock_file}: {requirement.line!r} is not pinned with ==")
        pins.append(
            Pin(canonicalize_name(requirement.name), Version(requirement.get_pinned_version))
        )
    return sorted(pins)

"""Reading a hashed lock file and PyPI's advisories document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from tools.dependency_audit.exceptions import AdvisorySourceError, LockFileError
from tools.dependency_audit.pins import Pin, read_pins
from tools.dependency_audit.pypi_advisories import PYPI_JSON_URL, PyPIAdvisories

LOCK = """\
--find-links /opt/wheels

Requests==2.34.2 \\
    --hash=sha256:{h}
    # via pip-audit
pip-requirements_parser==32.0.1 \\
    --hash=sha256:{h}
"""


def test_pins_are_read_with_canonical_names(tmp_path: Path) -> None:
    """Options and hashes are skipped; names are canonicalised and sorted."""
    lock = tmp_path / "requirements.lock"
    lock.write_text(LOCK.format(h="0" * 64))
    assert read_pins(lock) == [
        Pin("pip-requirements-parser", Version("32.0.1")),
        Pin("requests", Version("2.34.2")),
    ]


def test_an_unpinned_requirement_is_refused(tmp_path: Path) -> None:
    """A range cannot be audited, so the lock file is refused."""
    lock = tmp_path / "requirements.lock"
    lock.write_text("requests>=2\n")
    with pytest.raises(LockFileError, match="not pinned"):
        read_pins(lock)


def _document(version: str, vulnerabilities: list[dict[str, Any]]) -> dict[str, Any]:
    return {"info": {"version": version}, "vulnerabilities": vulnerabilities}


def test_newest_release_keeps_live_advisories_only() -> None:
    """Withdrawn advisories are dropped; fixed versions are parsed."""
    asked: list[str] = []
    live = {"id": "PYSEC-1", "aliases": ["CVE-1"], "fixed_in": ["1.2"], "details": "a  b"}
    withdrawn = {"id": "PYSEC-2", "fixed_in": [], "withdrawn": "2026-01-01T00:00:00Z"}

    def fetch(url: str) -> dict[str, Any]:
        asked.append(url)
        return _document("1.2", [live, withdrawn])

    newest = PyPIAdvisories(fetch).newest_release("pkg")
    assert asked == [PYPI_JSON_URL.format(name="pkg")]
    assert newest.version == Version("1.2")
    assert [(a.id, a.aliases, a.fixed_in, a.summary) for a in newest.advisories] == [
        ("PYSEC-1", ("CVE-1",), (Version("1.2"),), "a b")
    ]


def test_a_malformed_document_is_a_source_error() -> None:
    """A document without a version is reported, not guessed at."""
    with pytest.raises(AdvisorySourceError):
        PyPIAdvisories(lambda url: {"info": {}}).newest_release("pkg")

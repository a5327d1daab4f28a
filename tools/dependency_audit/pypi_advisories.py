"""PyPI's published advisories for a project's newest release (its JSON API)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from packaging.version import InvalidVersion, Version

from tools.dependency_audit.exceptions import AdvisorySourceError

__all__ = ["Advisory", "NewestRelease", "PyPIAdvisories"]

PYPI_JSON_URL = "https://pypi.org/pypi/{name}/json"

Fetch = Callable[[str], Mapping[str, Any]]
"""Fetches a URL's JSON document; raises :class:`AdvisorySourceError` on failure."""


@dataclass(frozen=True)
class Advisory:
    """A known vulnerability as PyPI lists it (OSV data)."""

    id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[Version, ...]
    summary: str


@dataclass(frozen=True)
class NewestRelease:
    """A project's newest release and the advisories that affect it."""

    version: Version
    advisories: tuple[Advisory, ...]


class PyPIAdvisories:
    """Reads ``/pypi/<project>/json``: the newest version and its ``vulnerabilities``."""

    def __init__(self, fetch: Fetch | None = None, timeout: float = 30.0) -> None:
        """Args:
        fetch: JSON fetcher (default: HTTPS GET with ``requests``).
        timeout: seconds per request for the default fetcher.
        """
        self._session = requests.Session()
        self._timeout = timeout
        self._fetch = fetch or self._get

    def newest_release(self, name: str) -> NewestRelease:
        """The newest release of project ``name`` and its unwithdrawn advisories.

        Raises:
            AdvisorySourceError: PyPI did not answer or the document is malformed.
        """
        document = self._fetch(PYPI_JSON_URL.format(name=name))
        try:
            version = Version(document["info"]["version"])
            advisories = tuple(
                _advisory(entry)
                for entry in document.get("vulnerabilities") or ()
                if not entry.get("withdrawn")
            )
        except (KeyError, TypeError, InvalidVersion) as exc:
            raise AdvisorySourceError(f"unexpected PyPI JSON for {name}") from exc
        return NewestRelease(version, advisories)

    def _get(self, url: str) -> Mapping[str, Any]:
        try:
            response = self._session.get(url, timeout=self._timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            raise AdvisorySourceError(f"GET {url} failed: {exc}") from exc


def _advisory(entry: Mapping[str, Any]) -> Advisory:
    summary = entry.get("summary") or entry.get("details") or ""
    return Advisory(
        id=entry["id"],
        aliases=tuple(entry.get("aliases") or ()),
        fixed_in=tuple(Version(v) for v in entry.get("fixed_in") or ()),
        summary=" ".join(summary.split())[:200],
    )

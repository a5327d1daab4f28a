"""Audit pins against the advisories PyPI lists for each project's newest release."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from packaging.version import Version

from tools.dependency_audit.pins import Pin
from tools.dependency_audit.pypi_advisories import Advisory, NewestRelease, PyPIAdvisories

__all__ = ["PinAudit", "audit_against_newest_releases", "audit_pin"]


@dataclass(frozen=True)
class PinAudit:
    """What is known about one pin."""

    pin: Pin
    newest: Version
    findings: tuple[Advisory, ...]
    """Advisories that apply to the pinned version."""
    audited: bool
    """True when the absence of a finding means the pin has no known vulnerability."""


def audit_pin(pin: Pin, newest: NewestRelease, ignore: Collection[str] = ()) -> PinAudit:
    """Which of ``newest``'s advisories apply to ``pin``.

    A pin on the newest release is fully audited: every advisory listed applies. For an older
    pin, only the advisories that also reach back to it can be told: those affecting the newest
    release with no fixed version at or below the pin. Advisories fixed between the pin and the
    newest release are not listed by PyPI, so an older pin counts as not audited.

    Args:
        pin: the locked version.
        newest: the project's newest release and its advisories.
        ignore: advisory ids or aliases to leave out.

    Returns:
        The findings and whether the pin was audited in full.
    """
    applicable = (
        advisory
        for advisory in newest.advisories
        if not any(fixed <= pin.version for fixed in advisory.fixed_in)
    )
    findings = tuple(a for a in applicable if not _ignored(a, ignore))
    if pin.version > newest.version:
        # a pre-release or a yanked newest: nothing is known of it
        findings = ()
    return PinAudit(pin, newest.version, findings, audited=pin.version == newest.version)


def audit_against_newest_releases(
    pins: Iterable[Pin], source: PyPIAdvisories, ignore: Collection[str] = (), workers: int = 8
) -> list[PinAudit]:
    """:func:`audit_pin` for every pin, asking PyPI concurrently.

    Raises:
        AdvisorySourceError: PyPI did not answer for some project.
    """

    def one(pin: Pin) -> PinAudit:
        return audit_pin(pin, source.newest_release(pin.name), ignore)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, pins))


def _ignored(advisory: Advisory, ignore: Collection[str]) -> bool:
    return advisory.id in ignore or any(alias in ignore for alias in advisory.aliases)

"""Which of PyPI's newest-release advisories apply to a pin."""

from __future__ import annotations

from packaging.version import Version

from tools.dependency_audit.newest_release_audit import audit_pin
from tools.dependency_audit.pins import Pin
from tools.dependency_audit.pypi_advisories import Advisory, NewestRelease


def _advisory(id_: str, *fixed: str, aliases: tuple[str, ...] = ()) -> Advisory:
    return Advisory(id_, aliases, tuple(Version(v) for v in fixed), "summary")


def _newest(version: str, *advisories: Advisory) -> NewestRelease:
    return NewestRelease(Version(version), advisories)


def test_a_pin_on_the_newest_release_gets_every_advisory_and_is_audited() -> None:
    """Advisories listed for the newest release all apply to a pin on it."""
    advisory = _advisory("PYSEC-1")
    audit = audit_pin(Pin("pkg", Version("2.0")), _newest("2.0", advisory))
    assert audit.findings == (advisory,)
    assert audit.audited


def test_a_clean_newest_release_pin_is_audited_without_findings() -> None:
    """No advisory on the pinned newest release means no known vulnerability."""
    audit = audit_pin(Pin("pkg", Version("2.0")), _newest("2.0"))
    assert audit.findings == ()
    assert audit.audited


def test_an_older_pin_is_not_audited_but_unfixed_advisories_reach_it() -> None:
    """An advisory without a fix reaches back to an older pin; the pin stays unaudited."""
    unfixed = _advisory("GHSA-unfixed")
    audit = audit_pin(Pin("pkg", Version("1.0")), _newest("2.0", unfixed))
    assert audit.findings == (unfixed,)
    assert not audit.audited


def test_an_advisory_fixed_at_or_below_the_pin_does_not_apply() -> None:
    """A backported fix at or below the pin clears the advisory for it."""
    backported = _advisory("PYSEC-2", "1.0.3")
    assert audit_pin(Pin("pkg", Version("1.0.3")), _newest("2.0", backported)).findings == ()
    assert audit_pin(Pin("pkg", Version("1.0.2")), _newest("2.0", backported)).findings == (
        backported,
    )


def test_ignored_ids_and_aliases_are_left_out() -> None:
    """An advisory is ignored by its id or any alias."""
    by_alias = _advisory("PYSEC-3", aliases=("CVE-2026-1",))
    other = _advisory("PYSEC-4")
    audit = audit_pin(Pin("pkg", Version("2.0")), _newest("2.0", by_alias, other), {"CVE-2026-1"})
    assert audit.findings == (other,)


def test_a_pin_newer_than_pypis_newest_is_not_audited() -> None:
    """A pre-release or a yanked newest release leaves the pin unaudited."""
    audit = audit_pin(Pin("pkg", Version("3.0rc1")), _newest("2.0", _advisory("PYSEC-5")))
    assert audit.findings == ()
    assert not audit.audited

"""Errors of the dependency audit."""

from __future__ import annotations


class AuditError(Exception):
    """The dependency audit could not be carried out."""


class LockFileError(AuditError):
    """The lock file cannot be read or holds a requirement that is not pinned."""


class AdvisorySourceError(AuditError):
    """A vulnerability source did not answer or answered something unreadable."""

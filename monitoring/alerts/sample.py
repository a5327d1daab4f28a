"""One observed value of an alerting metric."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemas import AlertKind

__all__ = ["Sample"]


@dataclass(frozen=True)
class Sample:
    """``value`` of metric ``kind`` for the thing ``labels`` names (a group, a gauge, ...)."""

    kind: AlertKind
    value: float
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Identity of the alert this sample feeds: its kind and labels."""
        return self.kind, tuple(sorted(self.labels.items()))

"""When a metric's value makes an alert: threshold, direction and timing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from floodcast.monitoring.exceptions import AlertRuleError
from schemas import AlertKind, AlertSeverity

__all__ = ["AlertRule", "Sample"]


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


@dataclass(frozen=True)
class AlertRule:
    """An alert on ``kind``: it fires once the value has been past ``threshold`` for
    ``for_seconds``, and resolves once it has been back for ``clear_seconds``.

    ``match`` lets one kind carry several rules: the accuracy alert fires on a CSI under its
    threshold or a Brier score over its own, told apart by their ``score`` label.

    Raises:
        AlertRuleError: a duration is negative.
    """

    kind: AlertKind
    threshold: float
    for_seconds: float
    clear_seconds: float
    severity: AlertSeverity = "warning"
    direction: Literal["above", "below"] = "above"
    unit: str = ""
    """Unit of the value in summaries, e.g. ``" s"`` or ``" messages"``."""
    match: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Labels a sample must carry for this rule to judge it (empty: every sample of the kind)."""

    def __post_init__(self) -> None:
        if self.for_seconds < 0 or self.clear_seconds < 0:
            raise AlertRuleError(f"{self.kind}: for/clear durations must not be negative")

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether this rule judges samples with ``labels``."""
        return all(labels.get(name) == value for name, value in self.match.items())

    def breached(self, value: float) -> bool:
        """Whether ``value`` is past the threshold."""
        if self.direction == "above":
            return value > self.threshold
        return value < self.threshold

"""When a metric's value makes an alert: threshold, direction and timing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from monitoring.exceptions import AlertRuleError
from schemas import AlertKind, AlertSeverity

__all__ = ["AlertRule"]


@dataclass(frozen=True)
class AlertRule:
    """An alert on ``kind``: it fires once the value has been past ``threshold`` for
    ``for_seconds``, and resolves once it has been back for ``clear_seconds``.

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

    def __post_init__(self) -> None:
        if self.for_seconds < 0 or self.clear_seconds < 0:
            raise AlertRuleError(f"{self.kind}: for/clear durations must not be negative")

    def breached(self, value: float) -> bool:
        """Whether ``value`` is past the threshold."""
        if self.direction == "above":
            return value > self.threshold
        return value < self.threshold

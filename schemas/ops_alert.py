"""An operational alert about the stream worker or the gauge network."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import AwareDatetime, Field, model_validator

from schemas._base import NonEmptyText, SchemaVersion, StrictMessage

AlertKind = Literal[
    "consumer_lag_messages",
    "consumer_lag_seconds",
    "error_rate",
    "latency_p99",
    "gauge_offline",
    "accuracy_drop",
    "memory",
    "cpu",
]
AlertSeverity = Literal["info", "warning", "critical"]
AlertState = Literal["firing", "resolved"]


class OpsAlert(StrictMessage):
    """A metric crossed (or came back under) its alerting threshold."""

    schema_version: SchemaVersion = 1
    kind: AlertKind
    severity: AlertSeverity
    state: AlertState
    value: float
    """Observed value of the metric."""
    threshold: float
    """Threshold the value is compared against."""
    since: AwareDatetime
    """When the condition started."""
    at: AwareDatetime
    """When this alert was emitted."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Context such as ``basin_id``, ``gauge_id`` or ``partition``."""
    summary: NonEmptyText

    @model_validator(mode="after")
    def _check_times(self) -> Self:
        if self.at < self.since:
            raise ValueError("'at' must not be earlier than 'since'")
        return self

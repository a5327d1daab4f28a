"""An operational alert about the stream worker or the gauge network."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from schemas._base import IDENTIFIER_PATTERN, NonEmptyText, SchemaVersion, StrictMessage, Timestamp

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
LabelName = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
LabelValue = Annotated[str, StringConstraints(max_length=1024)]
MAX_LABELS = 32
"""Labels per alert."""


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
    since: Timestamp
    """When the condition started."""
    at: Timestamp
    """When this alert was emitted."""
    labels: Annotated[
        dict[LabelName, LabelValue],
        Field(max_length=MAX_LABELS, json_schema_extra={"additionalProperties": False}),
    ] = Field(default_factory=dict)
    """Context such as ``basin_id``, ``gauge_id`` or ``partition``."""
    summary: NonEmptyText

    @model_validator(mode="after")
    def _check_times(self) -> Self:
        if self.at < self.since:
            raise ValueError("'at' must not be earlier than 'since'")
        return self

"""OpsAlert: closed vocabularies for kind, severity and state; consistent times."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from schemas import OpsAlert

SINCE = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _alert(**overrides: object) -> OpsAlert:
    fields: dict[str, object] = {
        "kind": "consumer_lag_seconds",
        "severity": "warning",
        "state": "firing",
        "value": 95.0,
        "threshold": 60.0,
        "since": SINCE,
        "at": SINCE + timedelta(minutes=2),
        "labels": {"partition": "3"},
        "summary": "consumer lag 95 s over 60 s on partition 3",
    }
    fields.update(overrides)
    return OpsAlert(**fields)  # type: ignore[arg-type]


def test_alert_round_trips_through_json() -> None:
    """An alert validates back from its own JSON unchanged."""
    alert = _alert()
    assert OpsAlert.model_validate_json(alert.model_dump_json()) == alert


def test_at_before_since_is_rejected() -> None:
    """An alert cannot be emitted before its condition started."""
    with pytest.raises(ValidationError, match="earlier than 'since'"):
        _alert(at=SINCE - timedelta(seconds=1))


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "disk"},
        {"severity": "page"},
        {"state": "pending"},
        {"labels": {"partition": 3}},
        {"summary": ""},
        {"at": "2026-11-25T12:02:00"},
    ],
    ids=["kind", "severity", "state", "label-value", "empty-summary", "naive-at"],
)
def test_out_of_vocabulary_fields_are_rejected(overrides: dict) -> None:
    """Unknown kinds, severities or states, non-string labels and naive times are refused."""
    wire = json.loads(_alert().model_dump_json())
    wire.update(overrides)
    with pytest.raises(ValidationError):
        OpsAlert.model_validate_json(json.dumps(wire))


def test_non_finite_value_is_rejected() -> None:
    """Alert values must be finite numbers."""
    raw = _alert().model_dump_json().replace("95.0", "Infinity")
    with pytest.raises(ValidationError, match="finite"):
        OpsAlert.model_validate_json(raw)

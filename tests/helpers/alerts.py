"""A consumer-lag alert transition, for tests of what reads or writes ``ops-alerts``."""

from __future__ import annotations

from datetime import datetime

from schemas import OpsAlert


def lag_alert(
    state: str, since: datetime, at: datetime, *, group: str = "floodcast-worker"
) -> OpsAlert:
    """A ``consumer_lag_messages`` warning of 5,000 messages over 1,000 for ``group``."""
    return OpsAlert(
        kind="consumer_lag_messages",
        severity="warning",
        state=state,  # type: ignore[arg-type]
        value=5_000.0,
        threshold=1_000.0,
        since=since,
        at=at,
        labels={"group": group},
        summary="consumer_lag_messages 5000 over 1000",
    )

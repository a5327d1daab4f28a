"""Alert transitions as JSON log events."""

from __future__ import annotations

import logging

from floodcast.monitoring.channels.alert_channel import AlertChannel
from schemas import OpsAlert
from stream_app.json_logging import log_event

__all__ = ["LogAlertChannel"]


class LogAlertChannel(AlertChannel):
    """Logs each transition as an ``alert_firing`` / ``alert_resolved`` event.

    Args:
        logger: where to log; firing alerts log at WARNING, resolved ones at INFO.
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or logging.getLogger("floodcast.monitoring.alerts")

    def send(self, alert: OpsAlert) -> None:
        level = logging.WARNING if alert.state == "firing" else logging.INFO
        log_event(self.logger, f"alert_{alert.state}", level, **alert.model_dump(mode="json"))

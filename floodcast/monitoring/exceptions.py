"""Errors raised while monitoring the stream and raising operator alerts."""

from __future__ import annotations

__all__ = [
    "AlertPublishError",
    "AlertRuleError",
    "BrokerQueryError",
    "LagReadError",
    "MetricsServerError",
    "MonitoringError",
    "TopicTailError",
]


from floodcast.exceptions import FloodcastError


class MonitoringError(FloodcastError):
    """Root of the monitoring errors."""


class BrokerQueryError(MonitoringError):
    """A question to the broker (offsets, groups, metadata) failed or timed out."""


class LagReadError(BrokerQueryError):
    """A consumer group's committed or end offsets could not be read."""


class TopicTailError(BrokerQueryError):
    """Following a topic's new messages failed."""


class AlertPublishError(MonitoringError):
    """An alert could not be delivered to its channel."""


class AlertRuleError(MonitoringError, ValueError):
    """An alert rule is inconsistent (negative durations, unknown kind)."""


class MetricsServerError(MonitoringError):
    """The metrics endpoint could not be served (e.g. its port is taken)."""

"""Monitoring: consumer lag, prediction accuracy, alert rules and channels, Prometheus metrics.

Typical use (``floodcast monitor`` does this)::

    monitor = Monitor(settings, [KafkaAlertChannel(bootstrap, topic), LogAlertChannel()])
    monitor.run(stop_event)
"""

from floodcast.monitoring.accuracy import AccuracyFeed, AccuracyScores, AccuracyTracker
from floodcast.monitoring.alerts import AlertEngine, AlertRule, Sample
from floodcast.monitoring.alerts.default_rules import default_rules
from floodcast.monitoring.channels import (
    AlertChannel,
    KafkaAlertChannel,
    LogAlertChannel,
    alert_key,
)
from floodcast.monitoring.exceptions import (
    AlertPublishError,
    AlertRuleError,
    BrokerQueryError,
    LagReadError,
    MetricsServerError,
    MonitoringError,
    TopicTailError,
)
from floodcast.monitoring.lag import GroupLag, GroupStatus, LagReader, LagWindow, PartitionLag
from floodcast.monitoring.monitor import Monitor, MonitorReport, ReportCallback

__all__ = [
    "AccuracyFeed",
    "AccuracyScores",
    "AccuracyTracker",
    "AlertChannel",
    "AlertEngine",
    "AlertPublishError",
    "AlertRule",
    "AlertRuleError",
    "BrokerQueryError",
    "GroupLag",
    "GroupStatus",
    "KafkaAlertChannel",
    "LagReadError",
    "LagReader",
    "LagWindow",
    "LogAlertChannel",
    "MetricsServerError",
    "Monitor",
    "MonitorReport",
    "MonitoringError",
    "PartitionLag",
    "ReportCallback",
    "Sample",
    "TopicTailError",
    "alert_key",
    "default_rules",
]

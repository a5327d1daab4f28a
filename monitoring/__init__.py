"""Monitoring: consumer lag, prediction accuracy, alert rules and channels, Prometheus metrics.

Typical use (``floodcast monitor`` does this)::

    monitor = Monitor(settings, [KafkaAlertChannel(bootstrap, topic), LogAlertChannel()])
    monitor.run(stop_event)
"""

from monitoring.accuracy import AccuracyFeed, AccuracyScores, AccuracyTracker
from monitoring.alerts import AlertEngine, AlertRule, Sample
from monitoring.alerts.default_rules import default_rules
from monitoring.channels import AlertChannel, KafkaAlertChannel, LogAlertChannel, alert_key
from monitoring.exceptions import (
    AlertPublishError,
    AlertRuleError,
    BrokerQueryError,
    LagReadError,
    MetricsServerError,
    MonitoringError,
    TopicTailError,
)
from monitoring.lag import GroupLag, GroupStatus, LagReader, LagWindow, PartitionLag
from monitoring.monitor import Monitor, ReportCallback
from monitoring.monitor_report import MonitorReport

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

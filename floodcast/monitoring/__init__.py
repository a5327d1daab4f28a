"""Monitoring: consumer lag, prediction accuracy, alert rules and channels, Prometheus metrics.

Typical use (``floodcast monitor`` does this)::

    monitor = Monitor(settings, [KafkaAlertChannel(bootstrap, topic), LogAlertChannel()])
    monitor.run(stop_event)
"""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "accuracy": ["AccuracyFeed", "AccuracyScores", "AccuracyTracker"],
        "alerts": ["AlertEngine", "AlertRule", "Sample"],
        "alerts.default_rules": ["default_rules"],
        "channels": ["AlertChannel", "KafkaAlertChannel", "LogAlertChannel", "alert_key"],
        "exceptions": [
            "AlertPublishError",
            "AlertRuleError",
            "BrokerQueryError",
            "LagReadError",
            "MetricsServerError",
            "MonitoringError",
            "TopicTailError",
        ],
        "lag": ["GroupLag", "GroupStatus", "LagReader", "LagWindow", "PartitionLag"],
        "monitor": ["Monitor", "MonitorReport", "ReportCallback"],
    },
)

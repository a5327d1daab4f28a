"""The alert rules Floodcast runs, with thresholds and timings from its settings."""

from __future__ import annotations

from floodcast.monitoring.alerts.alert_rule import AlertRule
from schemas.settings import Settings

__all__ = ["default_rules"]


def default_rules(settings: Settings) -> list[AlertRule]:
    """The rules for every ``OpsAlert`` kind the monitors can measure (accuracy has two).

    Args:
        settings: thresholds (``alert_*``) and the shared for/clear durations.

    Returns:
        The rules, in ``OpsAlert.kind`` order.
    """
    timing = {
        "for_seconds": settings.alert_for_seconds,
        "clear_seconds": settings.alert_clear_seconds,
    }
    return [
        AlertRule("consumer_lag_messages", settings.alert_lag_messages, unit=" messages", **timing),
        AlertRule("consumer_lag_seconds", settings.alert_lag_seconds, unit=" s", **timing),
        AlertRule("error_rate", settings.alert_error_rate, **timing),
        AlertRule("latency_p99", settings.alert_latency_seconds, unit=" s", **timing),
        AlertRule("gauge_offline", settings.alert_gauge_offline_seconds, unit=" s", **timing),
        AlertRule(
            "accuracy_drop",
            settings.alert_accuracy_csi,
            direction="below",
            match={"score": "csi"},
            **timing,
        ),
        AlertRule(
            "accuracy_drop", settings.alert_accuracy_brier, match={"score": "brier"}, **timing
        ),
        AlertRule("memory", settings.alert_memory_mib, unit=" MiB", **timing),
        AlertRule("cpu", settings.alert_cpu_percent, unit=" %", **timing),
    ]

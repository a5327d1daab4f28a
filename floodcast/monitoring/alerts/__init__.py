"""Alert rules and the engine that turns samples into firing and resolved alerts."""

from floodcast.monitoring.alerts.alert_engine import AlertEngine
from floodcast.monitoring.alerts.alert_rule import AlertRule, Sample

__all__ = ["AlertEngine", "AlertRule", "Sample"]

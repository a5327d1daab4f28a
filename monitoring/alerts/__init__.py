"""Alert rules and the engine that turns samples into firing and resolved alerts."""

from monitoring.alerts.alert_engine import AlertEngine
from monitoring.alerts.alert_rule import AlertRule
from monitoring.alerts.sample import Sample

__all__ = ["AlertEngine", "AlertRule", "Sample"]

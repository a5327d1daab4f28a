"""Alert channels, one file each: the ``ops-alerts`` topic and the JSON log."""

from monitoring.channels.alert_channel import AlertChannel
from monitoring.channels.kafka_channel import KafkaAlertChannel, alert_key
from monitoring.channels.log_channel import LogAlertChannel

__all__ = ["AlertChannel", "KafkaAlertChannel", "LogAlertChannel", "alert_key"]

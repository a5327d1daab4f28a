"""Alert channels, one file each: the ``ops-alerts`` topic and the JSON log."""

from floodcast.monitoring.channels.alert_channel import AlertChannel
from floodcast.monitoring.channels.kafka_channel import KafkaAlertChannel, alert_key
from floodcast.monitoring.channels.log_channel import LogAlertChannel

__all__ = ["AlertChannel", "KafkaAlertChannel", "LogAlertChannel", "alert_key"]

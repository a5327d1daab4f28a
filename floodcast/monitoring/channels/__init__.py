"""Alert channels, one file each: the ``ops-alerts`` topic and the JSON log."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "alert_channel": ["AlertChannel"],
        "kafka_channel": ["KafkaAlertChannel", "alert_key"],
        "log_channel": ["LogAlertChannel"],
    },
)

"""Where alert samples come from: accounting, gauge activity, process usage."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "accounting_tail": ["AccountingTail"],
        "error_rate": ["ErrorRate"],
        "gauge_activity": ["GaugeActivity"],
        "kafka_time": ["kafka_time"],
        "process_usage": ["ProcessUsage"],
        "topic_tail": ["TopicTail"],
    },
)

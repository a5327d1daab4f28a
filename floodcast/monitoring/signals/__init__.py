"""Where alert samples come from: accounting, gauge activity, process usage."""

from floodcast.monitoring.signals.accounting_tail import AccountingTail, changelog_of
from floodcast.monitoring.signals.error_rate import ErrorRate
from floodcast.monitoring.signals.gauge_activity import GaugeActivity
from floodcast.monitoring.signals.process_usage import ProcessUsage
from floodcast.monitoring.signals.topic_tail import TopicTail

__all__ = [
    "AccountingTail",
    "ErrorRate",
    "GaugeActivity",
    "ProcessUsage",
    "TopicTail",
    "changelog_of",
]

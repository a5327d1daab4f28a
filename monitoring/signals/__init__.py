"""Where alert samples come from: accounting, gauge activity, process usage."""

from monitoring.signals.accounting_tail import AccountingTail, changelog_of
from monitoring.signals.error_rate import ErrorRate
from monitoring.signals.gauge_activity import GaugeActivity
from monitoring.signals.process_usage import ProcessUsage
from monitoring.signals.topic_tail import TopicTail

__all__ = [
    "AccountingTail",
    "ErrorRate",
    "GaugeActivity",
    "ProcessUsage",
    "TopicTail",
    "changelog_of",
]

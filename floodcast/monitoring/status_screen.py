"""The ``floodcast status`` screen: lag per partition, rates and open alerts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from floodcast.monitoring.monitor import MonitorReport
from schemas import OpsAlert

__all__ = ["render_status"]


def render_status(
    group: str, first: MonitorReport, second: MonitorReport, alerts: Sequence[OpsAlert]
) -> Group:
    """Render two monitor rounds (for rates) and the open alerts.

    Args:
        group: the worker group watched.
        first: the earlier round.
        second: the later round (its lag is shown).
        alerts: alerts firing now.
    """
    elapsed = max(second.at - first.at, 1e-9)
    counted = (second.counts.total - first.counts.total) / elapsed
    dead = (second.counts.dead_letters - first.counts.dead_letters) / elapsed
    lag = second.lag
    header = Text.assemble(
        ("group ", "bold"),
        group,
        ("  status ", "bold"),
        second.status.name,
        ("  members ", "bold"),
        str(lag.members if lag else "?"),
        ("  lag ", "bold"),
        str(lag.total if lag else "?"),
    )
    partitions = Table(title="lag per partition")
    for column in ("topic", "partition", "committed", "end", "lag", "oldest (s)", "status"):
        partitions.add_column(column, justify="right" if column != "topic" else "left")
    for row in lag.partitions if lag else ():
        verdict = second.partition_status.get((row.topic, row.partition))
        partitions.add_row(
            row.topic,
            str(row.partition),
            "-" if row.committed is None else str(row.committed),
            str(row.end),
            str(row.lag),
            f"{row.seconds:.1f}",
            verdict.name if verdict else "OK",
        )
    rates = Table(title="rates")
    rates.add_column("readings counted /s", justify="right")
    rates.add_column("dead letters /s", justify="right")
    rates.add_column("gauges seen", justify="right")
    rates.add_row(f"{counted:.1f}", f"{dead:.1f}", str(len(second.gauge_ages)))
    open_alerts = Table(title=f"open alerts ({len(alerts)})")
    for column in ("kind", "severity", "since", "summary"):
        open_alerts.add_column(column)
    for alert in alerts:
        open_alerts.add_row(
            alert.kind, alert.severity, alert.since.isoformat(timespec="seconds"), alert.summary
        )
    return Group(header, partitions, rates, open_alerts)

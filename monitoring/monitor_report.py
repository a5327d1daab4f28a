"""What one monitoring round saw."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from monitoring.accuracy.accuracy_scores import AccuracyScores
from monitoring.lag.group_status import GroupStatus
from monitoring.lag.partition_lag import GroupLag
from schemas import OpsAlert
from stream_app.accounting.partition_counts import PartitionCounts

__all__ = ["MonitorReport"]


@dataclass(frozen=True)
class MonitorReport:
    """Lag, status, error share, gauge silence, accuracy and alerts of one round (epoch s)."""

    at: float
    lag: GroupLag | None
    """``None`` when the broker could not be asked this round."""
    status: GroupStatus
    partition_status: Mapping[tuple[str, int], GroupStatus]
    counts: PartitionCounts
    error_share: float | None
    gauge_ages: Mapping[str, tuple[str, float]]
    emitted: tuple[OpsAlert, ...] = ()
    firing: tuple[tuple[str, Mapping[str, str], float, float], ...] = field(default=())
    accuracy: AccuracyScores | None = None
    """Rolling scores of verified predictions; ``None`` before any was verified."""

"""Accuracy gauges of the worker's metrics: NaN until the window is ready, then its scores."""

from __future__ import annotations

import math

from floodcast.monitoring import AccuracyScores, GroupStatus, MonitorReport
from floodcast.monitoring.metrics import WorkerMetrics
from stream_app.accounting.partition_counts import PartitionCounts


def report(accuracy: AccuracyScores) -> MonitorReport:
    return MonitorReport(
        at=0.0,
        lag=None,
        status=GroupStatus.OK,
        partition_status={},
        counts=PartitionCounts(),
        error_share=None,
        gauge_ages={},
        accuracy=accuracy,
    )


def scores(csi: float | None, brier: float, forecasts: int, ready: bool) -> AccuracyScores:
    return AccuracyScores(csi, brier, forecasts, hits=1, misses=0, false_alarms=2, ready=ready)


def test_accuracy_gauges_follow_the_ready_window() -> None:
    """CSI and Brier read NaN (no rule compares true) until the window holds its minimum;
    the verified count is exported from the first round."""
    metrics = WorkerMetrics(PartitionCounts, {"name": "m", "version": "1", "sha256": "0" * 64})

    def value(name: str) -> float | None:
        return metrics.registry.get_sample_value(name)

    metrics.observe_report(report(scores(0.1, 0.4, 10, ready=False)))
    assert math.isnan(value("floodcast_prediction_csi") or 0.0)
    assert math.isnan(value("floodcast_prediction_brier_score") or 0.0)
    assert value("floodcast_verified_forecasts") == 10
    metrics.observe_report(report(scores(0.25, 0.125, 300, ready=True)))
    assert value("floodcast_prediction_csi") == 0.25
    assert value("floodcast_prediction_brier_score") == 0.125
    metrics.observe_report(report(scores(None, 0.0, 300, ready=True)))
    assert math.isnan(value("floodcast_prediction_csi") or 0.0)

"""The model info metric follows a hot-reloaded model."""

from __future__ import annotations

from floodcast.monitoring.metrics.worker_metrics import WorkerMetrics
from stream_app.accounting import PartitionCounts


def test_set_model_replaces_the_model_info() -> None:
    """After set_model only the new name/version/sha256 are exported."""
    metrics = WorkerMetrics(PartitionCounts, {"name": "m", "version": "1", "sha256": "a" * 64})
    metrics.set_model({"name": "m", "version": "2", "sha256": "b" * 64})
    samples = [
        s.labels
        for m in metrics.registry.collect()
        if m.name == "floodcast_model"
        for s in m.samples
    ]
    assert samples == [{"name": "m", "version": "2", "sha256": "b" * 64}]

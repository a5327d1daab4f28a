"""Prometheus metrics of the stream worker."""

from floodcast.monitoring.metrics.worker_metrics import CountsSource, WorkerMetrics

__all__ = ["CountsSource", "WorkerMetrics"]

"""The stream worker: Faust app, per-basin state, scoring, dead letters and accounting."""

from stream_app.accounting import AccountingSnapshot, PartitionCounts, read_accounting
from stream_app.app import accounting_totals, create_app
from stream_app.exceptions import (
    AccountingReadError,
    CorruptBasinStateError,
    CorruptCountsError,
    StreamAppError,
    WorkerProcessError,
)
from stream_app.processing import BatchProcessor, BatchResult, ProcessorConfig, SourceRecord
from stream_app.runner import WorkerProcess, settings_env
from stream_app.worker import run_worker

__all__ = [
    "AccountingReadError",
    "AccountingSnapshot",
    "BatchProcessor",
    "BatchResult",
    "CorruptBasinStateError",
    "CorruptCountsError",
    "PartitionCounts",
    "ProcessorConfig",
    "SourceRecord",
    "StreamAppError",
    "WorkerProcess",
    "WorkerProcessError",
    "accounting_totals",
    "create_app",
    "read_accounting",
    "run_worker",
    "settings_env",
]

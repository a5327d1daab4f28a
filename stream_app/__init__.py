"""The stream worker: Faust app, per-basin state, scoring, dead letters and accounting.

Readings (key = basin id) are decoded by the worker itself so a rejected message reaches the
dead-letter topic with its original bytes. Each basin's state (feature history, open 15-minute
slots, per-gauge dedupe windows, last publication) is one entry of a changelog-backed table, so
state and dedupe change together; it is written once per basin per micro-batch. A slot closes
(one feature step) when every gauge covered it, or once the basin's watermark is the allowed
lateness past its end; every closed slot is scored, and a prediction is published for the
first path, each change (the all-clear too) and every publication cadence of event time.

Processing is at-least-once, made idempotent by offset: the partition counts table records the
highest source offset counted, so replays after a restart are skipped, and a gap in offsets
(a message Faust's consumer skipped) holds the partition back and seeks to the gap.
"""

from stream_app.accounting import AccountingSnapshot, PartitionCounts, read_accounting
from stream_app.app import accounting_totals, create_app
from stream_app.exceptions import (
    AccountingReadError,
    CorruptBasinStateError,
    CorruptCountsError,
    StreamAppError,
    WorkerProcessError,
    WorkerStartError,
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
    "WorkerStartError",
    "accounting_totals",
    "create_app",
    "read_accounting",
    "run_worker",
    "settings_env",
]

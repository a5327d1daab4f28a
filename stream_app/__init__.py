"""The stream worker: Faust app, per-basin state, scoring, dead letters and accounting.

Readings (key = basin id) are decoded by the worker itself so a rejected message reaches the
dead-letter topic with its original bytes. Each basin's state (feature history, open 15-minute
slots, per-gauge dedupe windows, last publication) and its source partition's counts are one
changelog record per partition, so state, dedupe and counts change together; it is written
once per partition per micro-batch, after the batch's messages were delivered. A slot closes
(one feature step) when every gauge covered it, or once the basin's watermark is the allowed
lateness past its end; every closed slot is scored, and a prediction is published for the
first path, each change (the all-clear too) and every publication cadence of event time.

Processing is at-least-once, made idempotent by offset: the partition's record holds the
highest source offset taken in, so replays after a restart are skipped, and offsets Faust's
consumer skipped are read back from the broker by a consumer of their own.
"""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "accounting": ["AccountingSnapshot", "PartitionCounts", "read_accounting"],
        "app": ["accounting_totals", "create_app"],
        "exceptions": [
            "AccountingReadError",
            "CorruptBasinStateError",
            "CorruptCountsError",
            "StreamAppError",
            "WorkerStartError",
        ],
        "processing": ["BatchProcessor", "BatchResult", "ProcessorConfig", "SourceRecord"],
        "worker": ["run_worker"],
    },
)

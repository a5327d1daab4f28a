"""Everything one micro-batch produced: messages to send and table entries to write."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import DeadLetter, FloodPathPrediction
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.processing.source_record import SourceRecord

__all__ = ["BatchResult"]


@dataclass
class BatchResult:
    """Output of ``BatchProcessor.process``.

    Table entries carry the record whose partition they belong to: the worker writes each one
    under that record's event, so it lands in the changelog partition of its source partition.
    """

    dead_letters: list[tuple[SourceRecord, DeadLetter]] = field(default_factory=list)
    predictions: list[FloodPathPrediction] = field(default_factory=list)
    basin_states: dict[str, tuple[SourceRecord, bytes]] = field(default_factory=dict)
    partition_counts: dict[int, tuple[SourceRecord, PartitionCounts]] = field(default_factory=dict)
    replayed: int = 0
    """Records at or below their partition's counted offset: already processed, skipped."""
    gaps: dict[int, int] = field(default_factory=dict)
    """Partition -> first offset missing before records that arrived (read again from there)."""
    held: int = 0
    """Records after a gap, left unprocessed and uncounted until the gap is filled."""
    slots_finalised: int = 0

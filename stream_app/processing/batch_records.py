"""What the batch processor takes and gives: its knobs (from the settings), the source
records of a micro-batch, and the batch's result."""

from __future__ import annotations

from dataclasses import dataclass, field

from converters.features.spec import STEP_MINUTES
from schemas import DeadLetter, FloodPathPrediction
from schemas.settings import Settings
from stream_app.accounting.partition_counts import PartitionCounts

__all__ = ["BatchResult", "ProcessorConfig", "SourceRecord"]


@dataclass(slots=True, eq=False)
class SourceRecord:
    """Where a message came from and its raw key and value; not to be changed once made.

    ``context`` is opaque to the processor: the worker passes the stream event, so that it can
    write table entries under the event of the right source partition.

    Compared and hashed by identity. Not frozen: a frozen dataclass's ``__init__`` costs four
    times as much, once per reading of a pack (issue 14).
    """

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    context: object = None
    index: int | None = None
    """Index of the reading in a SenML pack (``value`` is the whole pack); ``None``: the
    message is a single reading."""


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
    """Counts of the readings topic's partitions (by partition)."""
    side_counts: dict[tuple[str, int], tuple[SourceRecord, PartitionCounts]] = field(
        default_factory=dict
    )
    """Counts of the side-input topics' partitions (river levels), by (topic, partition)."""
    replayed: int = 0
    """Records at or below their partition's counted offset: already processed, skipped."""
    gaps: dict[tuple[str, int], int] = field(default_factory=dict)
    """(topic, partition) -> first offset missing before records that arrived (read again from
    there)."""
    held: int = 0
    """Records after a gap, left unprocessed and uncounted until the gap is filled."""
    slots_finalised: int = 0


@dataclass(frozen=True, slots=True)
class ProcessorConfig:
    """Limits and event-time rules of the batch processor."""

    max_message_bytes: int = 4096
    lateness_seconds: int = 3600
    """How far a basin's watermark must pass a slot's end to close it without every gauge."""
    cadence_seconds: int = 3600
    """Republish an unchanged path after this much event time."""
    max_future_seconds: int = 3600
    """Readings ending further than this past the wall clock are refused: one gauge with a
    wrong clock would otherwise push its basin's watermark ahead and close every slot."""
    max_gap_slots: int = 288
    """Longest run of silent slots filled with dry steps."""
    dedupe_window: int = 1024
    topic_river_levels: str | None = None
    """Records of this topic are river-level readings; None: every record is rain."""
    topic_rain_forecasts: str | None = None
    """Records of this topic are rain forecasts; None: the worker reads none."""
    max_forecast_bytes: int = 65536

    @classmethod
    def from_settings(cls, settings: Settings) -> ProcessorConfig:
        return cls(
            max_message_bytes=settings.max_message_bytes,
            lateness_seconds=settings.allowed_lateness_minutes * 60,
            cadence_seconds=settings.publish_cadence_minutes * 60,
            max_future_seconds=settings.max_future_minutes * 60,
            max_gap_slots=settings.max_gap_hours * 60 // STEP_MINUTES,
            dedupe_window=settings.dedupe_window,
            topic_river_levels=settings.topic_river_levels,
            topic_rain_forecasts=settings.topic_rain_forecasts,
            max_forecast_bytes=settings.max_forecast_bytes,
        )

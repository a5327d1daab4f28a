"""The worker's checkpoint table in memory, and a scorer that keeps the features it scored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from schemas import DeadLetter, DeadLetterReason, FloodPathPrediction
from stream_app.accounting import PartitionCounts
from stream_app.processing import BatchProcessor, BatchResult, SourceRecord
from stream_app.scoring.flood_scorer import FloodPathScorer
from stream_app.state.partition_checkpoint import PartitionCheckpoint


class RecordingScorer:
    """A scorer that keeps every feature matrix it is asked to score, per basin, in order."""

    def __init__(self, scorer: FloodPathScorer) -> None:
        self._scorer = scorer
        self.features: dict[str, list[NDArray[np.floating]]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scorer, name)

    def score_basins(self, batch: Sequence[tuple[str, NDArray[np.floating]]]) -> list:
        for basin_id, features in batch:
            self.features.setdefault(basin_id, []).append(np.array(features, copy=True))
        return self._scorer.score_basins(batch)


class CheckpointTables:
    """One ``PartitionCheckpoint`` per partition, read and written as ``BatchRunner`` does."""

    def __init__(self, processor: BatchProcessor) -> None:
        self.processor = processor
        self.checkpoints: dict[int, PartitionCheckpoint] = {}
        self.predictions: list[FloodPathPrediction] = []
        self.dead_letters: list[tuple[SourceRecord, DeadLetter]] = []

    def _checkpoint(self, partition: int) -> PartitionCheckpoint:
        return self.checkpoints.setdefault(partition, PartitionCheckpoint())

    def load_state(self, basin_id: str) -> bytes | None:
        for checkpoint in self.checkpoints.values():
            if basin_id in checkpoint.states:
                return checkpoint.states[basin_id]
        return None

    def load_counts(self, partition: str) -> bytes | None:
        found = self.checkpoints.get(int(partition))
        return None if found is None else found.to_bytes()

    def run(self, records: Sequence[SourceRecord], batch_size: int = 1_000) -> list[BatchResult]:
        """Process ``records`` in micro-batches of ``batch_size``, storing every checkpoint as
        bytes and reading it back, as the changelog would."""
        results = []
        for begin in range(0, len(records), batch_size):
            result = self.processor.process(
                records[begin : begin + batch_size], self.load_state, self.load_counts
            )
            self.store(result)
            results.append(result)
        return results

    def store(self, result: BatchResult) -> None:
        """Write a batch's checkpoints (as bytes, read back) and keep its messages."""
        for partition, (_, counts) in result.partition_counts.items():
            self._checkpoint(partition).counts = counts
        for (topic, partition), (_, counts) in result.side_counts.items():
            self._checkpoint(partition).side[topic] = counts
        for basin_id, (record, state) in result.basin_states.items():
            self._checkpoint(record.partition).states[basin_id] = state
        self.checkpoints = {
            p: PartitionCheckpoint.from_bytes(c.to_bytes()) for p, c in self.checkpoints.items()
        }
        self.predictions += result.predictions
        self.dead_letters += result.dead_letters

    def assert_dead_letters(self, topic: str, reasons: Iterable[DeadLetterReason]) -> None:
        """The dead letters are exactly ``reasons`` (in any order), each of ``topic`` and
        carrying its record's offset and original bytes."""
        assert Counter(letter.reason for _, letter in self.dead_letters) == Counter(reasons)
        for record, letter in self.dead_letters:
            assert (letter.topic, letter.offset, bytes(letter.value)) == (
                topic,
                record.offset,
                record.value,
            )

    def counts(self, topic: str | None = None) -> PartitionCounts:
        """The readings topic's counts (``topic`` None) or a side topic's, over partitions."""
        if topic is None:
            return PartitionCounts.summed(c.counts for c in self.checkpoints.values())
        return PartitionCounts.summed(
            c.side[topic] for c in self.checkpoints.values() if topic in c.side
        )

"""A partition checkpoint holds counts and basin states in one changelog value (issue 12)."""

from __future__ import annotations

import pytest

from schemas import DeadLetterReason
from stream_app.accounting import PartitionCounts
from stream_app.exceptions import CorruptCountsError
from stream_app.state.partition_checkpoint import PartitionCheckpoint


def _checkpoint() -> PartitionCheckpoint:
    counts = PartitionCounts(offset=41, scored=30, pending=5, deduplicated=2)
    counts.dead_letter(DeadLetterReason.INVALID_JSON)
    return PartitionCheckpoint(counts, {"upland": b"\x00state\xff" * 40, "midvale": b""})


def test_round_trip_restores_counts_and_every_basin_state() -> None:
    """The bytes give back equal counts and byte-identical states."""
    checkpoint = _checkpoint()
    assert PartitionCheckpoint.from_bytes(checkpoint.to_bytes()) == checkpoint


def test_counts_readers_read_the_counts_of_a_checkpoint() -> None:
    """Accounting readers, which parse counts only, read them from a checkpoint value."""
    checkpoint = _checkpoint()
    assert PartitionCounts.from_bytes(checkpoint.to_bytes()) == checkpoint.counts


def test_plain_counts_of_an_older_worker_give_a_checkpoint_without_states() -> None:
    """A value written before checkpoints (counts JSON only) still loads."""
    counts = PartitionCounts(offset=9, scored=10)
    assert PartitionCheckpoint.from_bytes(counts.to_bytes()) == PartitionCheckpoint(counts)
    assert PartitionCheckpoint.from_bytes(None) == PartitionCheckpoint()


@pytest.mark.parametrize("cut", [5, 12, -1, -7])
def test_a_truncated_checkpoint_is_refused(cut: int) -> None:
    """Any cut of the bytes raises CorruptCountsError rather than loading part of a state."""
    data = _checkpoint().to_bytes()
    with pytest.raises(CorruptCountsError):
        PartitionCheckpoint.from_bytes(data[:cut])


def test_trailing_bytes_are_refused() -> None:
    """Bytes after the last state mean the value is not a checkpoint."""
    with pytest.raises(CorruptCountsError):
        PartitionCheckpoint.from_bytes(_checkpoint().to_bytes() + b"x")

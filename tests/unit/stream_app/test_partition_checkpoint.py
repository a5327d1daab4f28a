"""A partition checkpoint holds counts and basin states in one changelog value (issue 12)."""

from __future__ import annotations

import pytest

from schemas import DeadLetterReason
from stream_app.accounting import PartitionCounts
from stream_app.accounting.partition_counts import side_counts_from_bytes
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


def test_side_topic_counts_travel_in_the_same_record() -> None:
    """The river-levels partition's counts round-trip with the readings' counts and the basin
    states; readers of the readings' counts see them unchanged."""
    checkpoint = _checkpoint()
    levels = PartitionCounts(offset=7, scored=5, pending=2, deduplicated=1)
    levels.dead_letter(DeadLetterReason.UNKNOWN_SENSOR)
    checkpoint.side["river-levels"] = levels
    data = checkpoint.to_bytes()
    assert PartitionCheckpoint.from_bytes(data) == checkpoint
    assert PartitionCounts.from_bytes(data) == checkpoint.counts
    assert side_counts_from_bytes(data) == {"river-levels": levels}
    assert side_counts_from_bytes(_checkpoint().to_bytes()) == {}


def test_broken_side_counts_are_refused() -> None:
    """Side counts that are not counts make the record unreadable, not silently empty."""
    data = PartitionCounts().to_bytes()[:-1] + b',"topics":{"river-levels":{"offset":1}}}'
    with pytest.raises(CorruptCountsError):
        side_counts_from_bytes(data)

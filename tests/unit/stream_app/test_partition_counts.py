"""Partition counts put every message in one bucket and survive their JSON form."""

from __future__ import annotations

from collections import Counter

import pytest

from schemas import DeadLetterReason
from stream_app.accounting import PartitionCounts
from stream_app.exceptions import CorruptCountsError


def test_settling_moves_pending_to_scored_without_changing_the_total() -> None:
    """Finalising a slot converts pending readings into scored ones."""
    counts = PartitionCounts(pending=5, scored=2, deduplicated=1)
    counts.dead_letter(DeadLetterReason.INVALID_JSON)
    before = counts.total
    counts.settle(3)
    assert (counts.pending, counts.scored, counts.total) == (2, 5, before)


def test_dead_letters_are_counted_per_reason() -> None:
    """Each dead letter adds one to its reason."""
    counts = PartitionCounts()
    for reason in (DeadLetterReason.TOO_LATE, DeadLetterReason.TOO_LATE, DeadLetterReason.OVERSIZE):
        counts.dead_letter(reason)
    assert counts.dead_lettered == Counter({"too_late": 2, "oversize": 1})
    assert counts.dead_letters == 3


def test_json_round_trip() -> None:
    """The changelog form restores equal counts."""
    counts = PartitionCounts(offset=99, scored=7, pending=2, deduplicated=3)
    counts.dead_letter(DeadLetterReason.UNKNOWN_GAUGE)
    assert PartitionCounts.from_bytes(counts.to_bytes()) == counts


def test_summed_adds_every_bucket() -> None:
    """Totals over partitions add each bucket and reason."""
    a = PartitionCounts(offset=4, scored=1, pending=2, deduplicated=3)
    b = PartitionCounts(offset=9, scored=10, pending=20, deduplicated=30)
    a.dead_letter(DeadLetterReason.NOT_UTF8)
    b.dead_letter(DeadLetterReason.NOT_UTF8)
    total = PartitionCounts.summed([a, b])
    assert (total.scored, total.pending, total.deduplicated) == (11, 22, 33)
    assert total.dead_lettered == Counter({"not_utf8": 2})
    assert total.total == a.total + b.total


@pytest.mark.parametrize("data", [b"", b"[]", b'{"offset": 1}', b"\xff"])
def test_foreign_bytes_are_refused(data: bytes) -> None:
    """Anything but counts JSON raises CorruptCountsError."""
    with pytest.raises(CorruptCountsError):
        PartitionCounts.from_bytes(data)

"""The gap reader reads exactly a partition's missing offsets from a real broker (issue 12)."""

from __future__ import annotations

import pytest
from confluent_kafka import TopicPartition
from confluent_kafka.admin import AdminClient

from stream_app.gap_reader import GapReader
from tests.fixtures.broker import TopicFactory
from tests.integration.stream_app.kafka_io import produce

pytestmark = pytest.mark.integration


def test_reads_the_missing_range_in_order_and_calls_it_complete(
    kafka_bootstrap: str, make_topic: TopicFactory
) -> None:
    """[3, 7) of ten messages gives offsets 3..6 with their keys and values, nothing else."""
    topic = make_topic("gap", partitions=1)
    produce(kafka_bootstrap, topic, [(b"k%d" % i, b"v%d" % i) for i in range(10)])
    reader = GapReader({"bootstrap.servers": kafka_bootstrap}, timeout=30)
    try:
        gap = reader.read(topic, 0, 3, 7, context="event")
        again = reader.read(topic, 0, 0, 2, context=None)  # the consumer is reused
    finally:
        reader.close()
    assert [(r.offset, r.key, r.value) for r in gap.records] == [
        (i, b"k%d" % i, b"v%d" % i) for i in range(3, 7)
    ]
    assert gap.complete and {r.context for r in gap.records} == {"event"}
    assert [r.offset for r in again.records] == [0, 1] and again.complete


def test_a_range_partly_deleted_is_read_as_far_as_it_exists_and_not_complete(
    kafka_bootstrap: str, kafka_admin: AdminClient, make_topic: TopicFactory
) -> None:
    """Offsets removed from the log (retention, deleted records) cannot be read: the reader
    returns what is left of the range and says it is incomplete."""
    topic = make_topic("gap-deleted", partitions=1)
    produce(kafka_bootstrap, topic, [(None, b"v%d" % i) for i in range(10)])
    futures = kafka_admin.delete_records([TopicPartition(topic, 0, 5)])
    for future in futures.values():
        future.result(timeout=30)
    reader = GapReader({"bootstrap.servers": kafka_bootstrap}, timeout=30)
    try:
        gap = reader.read(topic, 0, 2, 8, context=None)
    finally:
        reader.close()
    assert [r.offset for r in gap.records] == [5, 6, 7]
    assert not gap.complete

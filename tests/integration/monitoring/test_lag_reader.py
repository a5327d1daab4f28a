"""The lag monitor's offsets agree with Kafka's own consumer-groups tool."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from floodcast.monitoring import LagReader
from floodcast.monitoring.lag.partition_lag import GroupLag
from tests.fixtures.broker import KafkaTool, TopicFactory

pytestmark = pytest.mark.integration


def tool_lag(kafka_tool: KafkaTool, group: str) -> dict[tuple[str, int], tuple[int, int, int]]:
    """``(topic, partition) -> (current offset, log-end offset, lag)`` as the tool prints them."""
    described = kafka_tool("consumer-groups", ["--describe", "--group", group])
    rows = {}
    for line in described.splitlines():
        cells = line.split()
        # GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
        if len(cells) >= 6 and cells[0] == group and cells[2].isdigit():
            rows[(cells[1], int(cells[2]))] = (int(cells[3]), int(cells[4]), int(cells[5]))
    return rows


def reader_lag(lag: GroupLag) -> dict[tuple[str, int], tuple[int, int, int]]:
    """The same triple from the monitor's reading."""
    return {
        (p.topic, p.partition): (p.committed if p.committed is not None else -1, p.end, p.lag)
        for p in lag.partitions
    }


def test_lag_equals_consumer_groups_tool(
    kafka_bootstrap: str, kafka_tool: KafkaTool, make_topic: TopicFactory
) -> None:
    """Per partition, committed offset, end offset and lag equal kafka-consumer-groups'; the
    age of the lag is that of the first unconsumed message."""
    topic = make_topic("lag", partitions=3)
    group = f"{topic}-group"
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    sizes = {0: 12, 1: 7, 2: 3}
    for partition, count in sizes.items():
        for i in range(count):
            producer.produce(topic, value=f"{partition}-{i}".encode(), partition=partition)
    assert producer.flush(15) == 0
    produced_at = time.time()
    committed = {0: 5, 1: 7, 2: 1}
    consumer = Consumer({"bootstrap.servers": kafka_bootstrap, "group.id": group})
    try:
        consumer.commit(
            offsets=[TopicPartition(topic, p, o) for p, o in committed.items()],
            asynchronous=False,
        )
    finally:
        consumer.close()
    time.sleep(1.0)  # the unconsumed messages are now at least a second old

    reader = LagReader(kafka_bootstrap)
    try:
        lag = reader.read(group, [topic])
    finally:
        reader.close()

    expected = {(topic, p): (committed[p], sizes[p], sizes[p] - committed[p]) for p in sizes}
    assert reader_lag(lag) == expected
    assert reader_lag(lag) == tool_lag(kafka_tool, group)
    assert lag.total == 7 + 0 + 2
    assert lag.members == 0
    ages = {p.partition: p.seconds for p in lag.partitions}
    assert ages[1] == 0.0
    assert 1.0 <= ages[0] <= time.time() - produced_at + 5.0
    assert 1.0 <= ages[2] <= time.time() - produced_at + 5.0

"""Kafka's own CLI tools run from the resolved jars against the test broker."""

from __future__ import annotations

import pytest
from confluent_kafka import Consumer, Producer

from floodcast.kafka_local import KafkaJars, ToolError, UnknownToolError, run_tool
from tests.fixtures.broker import KafkaTool, TopicFactory

pytestmark = pytest.mark.integration


def test_topics_list_shows_created_topic(kafka_tool: KafkaTool, make_topic: TopicFactory) -> None:
    """kafka-topics --list includes a topic created through the admin API."""
    topic = make_topic("tools-list", partitions=3)
    listed = kafka_tool("topics", ["--list"]).split()
    assert topic in listed
    described = kafka_tool("topics", ["--describe", "--topic", topic])
    assert "PartitionCount: 3" in described


def test_consumer_groups_describe_reports_committed_offsets(
    kafka_tool: KafkaTool, make_topic: TopicFactory, kafka_bootstrap: str
) -> None:
    """kafka-consumer-groups --describe shows the offset a consumer group committed, lag 0."""
    topic = make_topic("tools-groups")
    group = f"{topic}-group"
    producer = Producer({"bootstrap.servers": kafka_bootstrap})
    for i in range(7):
        producer.produce(topic, value=str(i).encode())
    assert producer.flush(15) == 0
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    try:
        consumer.subscribe([topic])
        received = consumer.consume(num_messages=7, timeout=20)
        assert [m.value() for m in received] == [str(i).encode() for i in range(7)]
        consumer.commit(asynchronous=False)
        described = kafka_tool("consumer-groups", ["--describe", "--group", group])
    finally:
        consumer.close()
    rows = [line.split() for line in described.splitlines() if line.startswith(group)]
    # GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
    assert [row[1:6] for row in rows] == [[topic, "0", "7", "7", "0"]]


def test_failing_tool_raises_tool_error(kafka_tool: KafkaTool) -> None:
    """A tool exiting non-zero raises ToolError with its exit status and stderr."""
    with pytest.raises(ToolError) as raised:
        kafka_tool("topics", ["--describe", "--topic", "no-such-topic-kafka-local"])
    assert raised.value.returncode != 0
    assert "no-such-topic-kafka-local" in raised.value.stderr


def test_unknown_tool_is_rejected(kafka_jars: KafkaJars) -> None:
    """Asking for a tool that is not in TOOLS raises UnknownToolError, not a Java error."""
    with pytest.raises(UnknownToolError, match="unknown Kafka tool 'nope'"):
        run_tool(kafka_jars, "nope", [])

"""faust-streaming (aiokafka) and confluent-kafka against the broker release Floodcast runs.

A tiny faust app consumes a 2-partition topic in a consumer group, counts per key in a
changelog-backed Table (faust creates the changelog topic through aiokafka's admin requests),
publishes each count to another topic and commits its offsets. confluent-kafka produces the
input and reads the output back.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from pathlib import Path

import faust
import pytest
from confluent_kafka import Consumer, ConsumerGroupTopicPartitions, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

from tests.fixtures.broker import TopicFactory

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Each key goes to a fixed partition: a faust Table partition follows its source partition.
KEY_PARTITION = {"a": 0, "b": 1, "c": 1}
KEYS = ["a", "b", "c", "a", "b", "a", "c", "a", "b", "b", "a", "c", "a", "a", "b"]
DEADLINE_S = 45.0


def produce_readings(bootstrap: str, topic: str) -> None:
    """Publish one JSON event per entry of KEYS, keyed, on its key's partition."""
    producer = Producer({"bootstrap.servers": bootstrap})
    for seq, key in enumerate(KEYS):
        payload = json.dumps({"seq": seq}).encode()
        producer.produce(topic, key=key.encode(), value=payload, partition=KEY_PARTITION[key])
    assert producer.flush(15) == 0


def read_all(bootstrap: str, topic: str, count: int) -> list[tuple[bytes, bytes]]:
    """Read ``count`` records of ``topic`` from the start with a fresh consumer group."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"check-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    records: list[tuple[bytes, bytes]] = []
    deadline = time.monotonic() + DEADLINE_S
    try:
        consumer.subscribe([topic])
        while len(records) < count and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None and message.error() is None:
                records.append((message.key(), message.value()))
    finally:
        consumer.close()
    return records


def committed_offsets(admin: AdminClient, group: str, topic: str) -> dict[int, int]:
    """Offsets ``group`` has committed on ``topic``, by partition."""
    request = ConsumerGroupTopicPartitions(group, [TopicPartition(topic, p) for p in (0, 1)])
    result = admin.list_consumer_group_offsets([request])[group].result(timeout=10)
    return {tp.partition: tp.offset for tp in result.topic_partitions}


async def run_counter_app(
    bootstrap: str, source_name: str, sink_name: str, app_id: str, datadir: Path, admin: AdminClient
) -> None:
    """Run the faust app until every event is counted and its offsets are committed."""
    app = faust.App(
        app_id,
        broker=f"kafka://{bootstrap}",
        store="memory://",
        datadir=str(datadir),
        web_enabled=False,
        topic_partitions=2,
        topic_replication_factor=1,
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=0.5,
    )
    source = app.topic(source_name, key_type=str, value_serializer="json", partitions=2)
    sink = app.topic(sink_name, key_type=str, value_serializer="json", partitions=1)
    counts = app.Table("counts", default=int, partitions=2)
    processed: list[int] = []

    @app.agent(source)
    async def count(stream: faust.StreamT) -> None:
        async for key, event in stream.items():
            counts[key] += 1
            processed.append(event["seq"])
            await sink.send(key=key, value={"key": key, "count": counts[key]})

    expected = dict(Counter(KEY_PARTITION[k] for k in KEYS))
    await app.start()
    try:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            done = len(processed) == len(KEYS)
            if done and committed_offsets(admin, app_id, source_name) == expected:
                return
            await asyncio.sleep(0.25)
        pytest.fail(f"faust processed {len(processed)}/{len(KEYS)} events before the deadline")
    finally:
        await app.stop()


def test_faust_counts_commits_and_publishes(
    kafka_bootstrap: str, kafka_admin: AdminClient, make_topic: TopicFactory, tmp_path: Path
) -> None:
    """A faust app joins a group, keeps a changelogged Table, commits and publishes correctly."""
    source = make_topic("faust-src", partitions=2)
    sink = make_topic("faust-sink", partitions=1)
    app_id = f"compat-{uuid.uuid4().hex[:8]}"
    changelog = f"{app_id}-counts-changelog"
    produce_readings(kafka_bootstrap, source)
    try:
        asyncio.run(run_counter_app(kafka_bootstrap, source, sink, app_id, tmp_path, kafka_admin))

        expected = Counter(KEYS)
        published = [json.loads(value) for _, value in read_all(kafka_bootstrap, sink, len(KEYS))]
        by_key = {key: [e["count"] for e in published if e["key"] == key] for key in expected}
        assert by_key == {key: list(range(1, n + 1)) for key, n in expected.items()}

        topics = kafka_admin.list_topics(timeout=10).topics
        assert len(topics[changelog].partitions) == 2
        latest = {
            json.loads(key): json.loads(value)
            for key, value in read_all(kafka_bootstrap, changelog, len(KEYS))
        }
        assert latest == dict(expected)
    finally:
        faust_topics = [t for t in kafka_admin.list_topics(timeout=10).topics if app_id in t]
        if faust_topics:
            for future in kafka_admin.delete_topics(faust_topics).values():
                future.result(timeout=30)

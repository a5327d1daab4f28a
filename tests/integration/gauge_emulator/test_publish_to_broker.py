"""The gauge emulator against a real broker: everything planned arrives, in order, once."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient

from floodcast.catchment import Simulation, get_basin, preset_storm, simulate
from floodcast.emulator import (
    EmulatorConfig,
    FaultConfig,
    MessagePlanner,
    MissingTopicError,
    Pacing,
    run_emulator,
)
from schemas import FloodObservation
from tests.fixtures.broker import TopicFactory

pytestmark = pytest.mark.integration

FAULTS = "duplicates=0.02,malformed=0.02,late=0.02,too_late=0.01,offline=upland-G02"
_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def upland_day() -> Simulation:
    """One day of the upland basin under a convective storm."""
    basin = get_basin("upland")
    return simulate(basin, days=1, seed=11, storms=[preset_storm("convective", basin, 8)])


def read_topic(bootstrap: str, topic: str) -> dict[int, list[tuple[bytes, bytes]]]:
    """Every record of ``topic`` by partition, in offset order, up to the high watermark."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"emulator-check-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
        }
    )
    records: dict[int, list[tuple[bytes, bytes]]] = defaultdict(list)
    try:
        metadata = consumer.list_topics(topic, timeout=_TIMEOUT_S)
        for partition in metadata.topics[topic].partitions:
            low, high = consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=_TIMEOUT_S
            )
            if high == low:
                continue
            consumer.assign([TopicPartition(topic, partition, low)])
            while len(records[partition]) < high - low:
                message = consumer.poll(_TIMEOUT_S)
                assert message is not None, f"partition {partition} stalled"
                assert message.error() is None, message.error()
                records[partition].append((message.key(), message.value()))
    finally:
        consumer.close()
    return dict(records)


def test_every_planned_message_arrives_once_in_order(
    kafka_bootstrap: str, make_topic: TopicFactory, upland_day: Simulation
) -> None:
    """The readings topic holds exactly the planned messages, in plan order, on one partition."""
    config = EmulatorConfig(
        readings_topic=make_topic("readings", partitions=3),
        observations_topic=make_topic("observations"),
        river_levels_topic=make_topic("levels", partitions=3),
        create_topics=False,
        faults=FaultConfig.parse(FAULTS),
        seed=4,
    )
    report = run_emulator(config, bootstrap=kafka_bootstrap, simulations=[upland_day])

    planned = [m for batch in MessagePlanner([upland_day], config) for m in batch.readings]
    by_partition = read_topic(kafka_bootstrap, config.readings_topic)
    assert len(by_partition) == 1  # one basin, one key, one partition: order is kept
    (received,) = by_partition.values()
    assert received == planned
    assert report.readings_messages == len(received)
    assert report.delivery_failures == 0
    assert report.duplicates > 0
    assert report.malformed_total > 0
    assert report.late_within + report.late_beyond > 0
    assert report.withheld_offline == upland_day.n_steps - upland_day.n_steps // 2

    observations = read_topic(kafka_bootstrap, config.observations_topic)
    values = [FloodObservation.model_validate_json(v) for _, v in observations[0]]
    assert len(values) == report.observations_sent == upland_day.n_steps
    assert sum(bool(o.flooded_reach_ids) for o in values) > 0

    planned_levels = [m for batch in MessagePlanner([upland_day], config) for m in batch.levels]
    levels = read_topic(kafka_bootstrap, config.river_levels_topic)
    assert list(levels) == list(by_partition)  # co-partitioned: the basin's rain's partition
    assert levels[next(iter(levels))] == planned_levels
    assert report.river_levels is not None
    assert report.river_levels.messages == len(planned_levels) > 0
    assert report.produced == len(received) + len(planned_levels) + len(values)


def test_producer_runs_idempotent(
    kafka_bootstrap: str, make_topic: TopicFactory, upland_day: Simulation
) -> None:
    """The report shows the idempotent, acks=all producer that delivered everything."""
    config = EmulatorConfig(
        readings_topic=make_topic("readings"),
        observations=False,
        river_levels=False,
        create_topics=False,
    )
    report = run_emulator(config, bootstrap=kafka_bootstrap, simulations=[upland_day])
    assert report.producer_settings["enable.idempotence"] == "True"
    assert report.producer_settings["acks"] == "all"
    assert report.delivery_failures == 0
    assert sum(map(len, read_topic(kafka_bootstrap, config.readings_topic).values())) == (
        report.produced
    )


def test_missing_topic_is_refused_unless_created(
    kafka_bootstrap: str, kafka_admin: AdminClient, upland_day: Simulation
) -> None:
    """Without create_topics a missing topic is an error; with it, the topics are made."""
    readings = f"emulator-new-{uuid.uuid4().hex[:10]}"
    observations = f"emulator-new-{uuid.uuid4().hex[:10]}"
    levels = f"emulator-new-{uuid.uuid4().hex[:10]}"
    config = EmulatorConfig(
        readings_topic=readings,
        observations_topic=observations,
        river_levels_topic=levels,
        create_topics=False,
        hours=1,
    )
    with pytest.raises(MissingTopicError):
        run_emulator(config, bootstrap=kafka_bootstrap, simulations=[upland_day])
    created = config.model_copy(update={"create_topics": True, "partitions": 2})
    try:
        report = run_emulator(created, bootstrap=kafka_bootstrap, simulations=[upland_day])
        topics = kafka_admin.list_topics(timeout=_TIMEOUT_S).topics
        assert len(topics[readings].partitions) == 2
        assert len(topics[observations].partitions) == 2
        assert len(topics[levels].partitions) == 2  # co-partitioned with the readings
        assert report.delivery_failures == 0
    finally:
        for future in kafka_admin.delete_topics([readings, observations, levels]).values():
            future.result(timeout=_TIMEOUT_S)


@pytest.mark.slow
def test_max_speed_run_of_200k_readings_is_delivered(
    kafka_bootstrap: str, make_topic: TopicFactory
) -> None:
    """A benchmark-sized run (over 200,000 readings, three basins) is delivered in full."""
    config = EmulatorConfig(
        readings_topic=make_topic("readings", partitions=4),
        observations_topic=make_topic("observations", partitions=4),
        river_levels=False,
        create_topics=False,
        hours=24 * 55,
        pacing=Pacing.max_speed(),
    )
    report = run_emulator(config, bootstrap=kafka_bootstrap)
    assert report.readings_messages >= 200_000
    assert report.delivery_failures == 0
    received = read_topic(kafka_bootstrap, config.readings_topic)
    assert sum(map(len, received.values())) == report.readings_messages
    keys = {key for records in received.values() for key, _ in records}
    assert keys == {b"upland", b"midvale", b"lowland"}

"""The benchmark's input: simulated gauge readings, generated once and published once."""

from __future__ import annotations

import time
from collections.abc import Sequence

from confluent_kafka import Consumer, TopicPartition

from floodcast.catchment import Simulation
from floodcast.emulator import (
    EmulatorConfig,
    KafkaPublisher,
    MessagePlanner,
    ProducerTuning,
    build_simulations,
)

KeyValue = tuple[bytes, bytes]

READINGS_PER_STEP_HINT = 38
"""Readings per 15-minute step over the three built-in basins (sizes the simulation)."""


def simulate_for(readings: int, *, seed: int = 0) -> tuple[Simulation, ...]:
    """Simulations of every built-in basin, long enough to yield ``readings`` readings."""
    steps = readings // READINGS_PER_STEP_HINT + 2
    return build_simulations(EmulatorConfig(hours=steps / 4 + 1, seed=seed, observations=False))


def planned_readings(simulations: Sequence[Simulation], readings: int) -> list[KeyValue]:
    """The first ``readings`` messages the emulator would send (no faults, simulated time).

    The last step may be cut part-way; its readings are valid all the same.
    """
    planner = MessagePlanner(simulations, EmulatorConfig(observations=False))
    messages: list[KeyValue] = []
    for batch in planner:
        messages.extend(batch.readings)
        if len(messages) >= readings:
            return messages[:readings]
    raise ValueError(f"the simulations hold only {len(messages)} readings, {readings} asked for")


def publish(
    bootstrap: str, topic: str, messages: Sequence[KeyValue], *, partitions: int
) -> dict[str, float]:
    """Create ``topic`` and publish ``messages`` with the emulator's producer, at full speed.

    Returns:
        ``seconds`` and ``readings_per_s`` of the publication (flush included).
    """
    publisher = KafkaPublisher(bootstrap, ProducerTuning())
    try:
        publisher.ensure_topics({topic: partitions}, create=True, replication_factor=1)
        began = time.perf_counter()
        publisher.send(topic, messages)
        publisher.flush()
        seconds = time.perf_counter() - began
    finally:
        publisher.close()
    if publisher.failures:
        raise RuntimeError(f"{publisher.failures} readings failed delivery: {publisher.errors}")
    return {"seconds": seconds, "readings_per_s": len(messages) / seconds}


def messages_per_partition(bootstrap: str, topic: str, partitions: int) -> dict[int, int]:
    """Messages held by each partition of ``topic`` (high minus low watermark)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-watermarks"})
    try:
        counts = {}
        for partition in range(partitions):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=30)
            counts[partition] = high - low
        return counts
    finally:
        consumer.close()

"""Gauge -> prediction latency: when each slot's last reading left, when its prediction arrived.

The emulator's send loop takes any ``Publisher``; ``RecordingPublisher`` wraps the real one and
notes the wall time each (basin, slot end) was last handed to the producer. A prediction carries
its basin and watermark (the end of the slot it was scored on), which names the same slot.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from floodcast.emulator import (
    EmulatorConfig,
    EmulatorReport,
    KafkaPublisher,
    MessagePlanner,
    Pacing,
    Publisher,
    publish_plan,
)
from floodcast.emulator.producer_tuning import ProducerTuning

KeyValue = tuple[bytes, bytes]
SlotKey = tuple[str, int]
"""(basin id, slot end in epoch seconds)."""

GAUGE_PRODUCER = ProducerTuning(linger_ms=0)
"""The latency runs' gauges send each reading as they take it. The emulator's default producer
lingers 20 ms to build large batches for throughput: a wait a gauge on its own never adds."""

LATENCY_WARMUP_S = 3.0
"""Readings sent in the first seconds of a latency run are left out of its percentiles."""


def live_gauges(topic: str, rate: float, partitions: int) -> EmulatorConfig:
    """The latency runs' gauges: ``rate`` readings/s to ``topic``, each sent at once."""
    return EmulatorConfig(
        pacing=Pacing.rate(rate),
        observations=False,
        readings_topic=topic,
        partitions=partitions,
        producer=GAUGE_PRODUCER,
    )


def publish_for(
    planner: MessagePlanner, publisher: Publisher, seconds: float
) -> tuple[EmulatorReport, float]:
    """Send ``planner``'s messages at its pace for ``seconds``, then flush.

    Returns:
        The run's report, and the wall time (epoch seconds) sending began.
    """
    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)
    began = time.time()
    timer.start()
    try:
        return publish_plan(planner, publisher, stop=stop), began
    finally:
        timer.cancel()


def _epoch(text: str) -> int:
    return round(datetime.fromisoformat(text).timestamp())


class RecordingPublisher:
    """A ``Publisher`` that forwards to ``inner`` and records when each slot's readings left.

    ``last_sent[(basin, slot end)]`` is the wall time (``time.time()``) right after the call
    that handed the slot's last reading to the producer.
    """

    def __init__(self, inner: KafkaPublisher) -> None:
        self.inner = inner
        self.last_sent: dict[SlotKey, float] = {}

    @property
    def produced(self) -> int:
        return self.inner.produced

    @property
    def failures(self) -> int:
        return self.inner.failures

    @property
    def delivery_errors(self) -> Sequence[str]:
        return self.inner.delivery_errors

    @property
    def settings(self) -> Mapping[str, str]:
        return self.inner.settings

    def send(self, topic: str, messages: Iterable[KeyValue]) -> int:
        batch = list(messages)
        count = self.inner.send(topic, batch)
        now = time.time()
        for _, value in batch:
            reading = json.loads(value)
            if "basin_id" in reading and "observed_at" in reading:
                self.last_sent[(reading["basin_id"], _epoch(reading["observed_at"]))] = now
        return count

    def wait(self, seconds: float, stop: threading.Event | None = None) -> bool:
        return self.inner.wait(seconds, stop)

    def flush(self, timeout_s: float | None = None) -> None:
        self.inner.flush(timeout_s)


@dataclass
class PredictionArrival:
    slot: SlotKey
    received_at: float
    """Wall time this process consumed the prediction."""
    created_at: float
    """The prediction message's CreateTime (stamped by the worker's producer)."""


@dataclass
class PredictionFollower:
    """Consumes a predictions topic in a thread, noting each prediction's arrival."""

    bootstrap: str
    topic: str
    partitions: int
    arrivals: list[PredictionArrival] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    error: BaseException | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="predictions", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        if self.error is not None:
            raise RuntimeError("following the predictions failed") from self.error

    def _run(self) -> None:
        consumer = Consumer(
            {
                "bootstrap.servers": self.bootstrap,
                "group.id": f"bench-latency-{self.topic}",
                "enable.auto.commit": False,
                "fetch.wait.max.ms": 10,
            }
        )
        try:
            consumer.assign(
                [TopicPartition(self.topic, p, OFFSET_BEGINNING) for p in range(self.partitions)]
            )
            while not self._stop.is_set():
                # poll, not consume(n, timeout): consume waits out its timeout unless n
                # messages come, which would add up to the timeout to every arrival time
                message = consumer.poll(0.05)
                received = time.time()
                if message is None or message.error() is not None or message.value() is None:
                    continue
                prediction = json.loads(message.value())
                slot = (prediction["basin_id"], _epoch(prediction["watermark"]))
                created = message.timestamp()[1] / 1000
                self.arrivals.append(PredictionArrival(slot, received, created))
        except BaseException as exc:  # reported by stop()
            self.error = exc
        finally:
            consumer.close()


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-quantile (0..1) by nearest rank: a latency some prediction actually had."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
    return ordered[rank]


def latency_stats(
    arrivals: Sequence[PredictionArrival], last_sent: Mapping[SlotKey, float], *, after: float
) -> dict[str, float]:
    """p50/p90/p99/max of the latencies, in ms, of predictions of slots sent after ``after``.

    Returns:
        ``to_consumer_*_ms`` (prediction consumed - slot's last reading sent) and
        ``to_worker_send_*_ms`` (prediction's CreateTime - slot's last reading sent), with
        ``predictions`` matched and ``unmatched`` (no recorded send for their slot).
    """
    consumed, stamped = [], []
    unmatched = 0
    for arrival in arrivals:
        sent = last_sent.get(arrival.slot)
        if sent is None:
            unmatched += 1
            continue
        if sent < after:
            continue
        consumed.append((arrival.received_at - sent) * 1000)
        stamped.append((arrival.created_at - sent) * 1000)
    if not consumed:
        raise ValueError("no prediction matched a recorded slot")
    stats: dict[str, float] = {"predictions": len(consumed), "unmatched": unmatched}
    for name, values in (("to_consumer", consumed), ("to_worker_send", stamped)):
        for label, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)):
            stats[f"{name}_{label}_ms"] = round(percentile(values, q), 1)
        stats[f"{name}_max_ms"] = round(max(values), 1)
    return stats

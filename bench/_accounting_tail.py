"""Follow a worker's accounting changelog live, to time when its counts cover every reading."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from stream_app.accounting import PartitionCounts
from stream_app.app import PARTITION_COUNTS_TABLE, changelog_topic

T = TypeVar("T")


@dataclass(frozen=True)
class AccountingRun(Generic[T]):
    """When the worker's counts first moved and when they covered every reading.

    Times are the changelog records' CreateTime (set by the worker's producer as it writes
    the batch's counts), in epoch seconds.
    """

    first_at: float
    """CreateTime of the first counts record (not before ``not_before``): the end of the
    worker's first timed batch."""
    first_total: int
    """Readings that first record counted (they are left out of the timed window)."""
    covered_at: float
    """CreateTime of the record after which the counts covered every reading."""
    records: int
    """Changelog records read."""
    totals: PartitionCounts
    probe_first: T
    """``probe()`` as last read before the first record was created."""
    probe_covered: T
    """``probe()`` when the covering record was read."""

    @property
    def seconds(self) -> float:
        return self.covered_at - self.first_at

    def readings_per_s(self, readings: int) -> float:
        """Rate over the timed window: readings counted after the first record, per second."""
        return (readings - self.first_total) / self.seconds


def follow_accounting(
    bootstrap: str,
    app_id: str,
    *,
    expected: int,
    probe: Callable[[], T],
    not_before: float = 0.0,
    timeout: float = 240.0,
) -> AccountingRun[T]:
    """Read the counts changelog from its start until the totals reach ``expected`` readings.

    Args:
        bootstrap: Kafka bootstrap servers.
        app_id: the worker's app id.
        expected: readings the counts must cover.
        probe: read before each poll and when the covering record arrives (e.g. the worker's
            CPU time); the window's first reading is the last taken before the first record
            was created, so a follower that reads both records in one poll still sees the
            window's work.
        not_before: the first record is the first created at or after this wall time (epoch
            seconds): a group's processes that joined one after the other have rebalanced by
            then, and what they counted before stays out of the timed window.
        timeout: seconds allowed.

    Raises:
        TimeoutError: the counts did not reach ``expected`` within ``timeout`` seconds.
    """
    topic = changelog_topic(app_id, PARTITION_COUNTS_TABLE)
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"bench-accounting-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "fetch.wait.max.ms": 20,
        }
    )
    deadline = time.monotonic() + timeout
    try:
        partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        return _follow(consumer, expected, probe, not_before, deadline)
    finally:
        consumer.close()


def _follow(
    consumer: Consumer, expected: int, probe: Callable[[], T], not_before: float, deadline: float
) -> AccountingRun[T]:
    latest: dict[int, PartitionCounts] = {}
    earliest: tuple[float, int] | None = None
    first: tuple[float, int] | None = None
    records = 0
    probes: list[tuple[float, T]] = []  # (wall time, probe()) before each poll
    while time.monotonic() < deadline:
        probes.append((time.time(), probe()))
        for message in consumer.consume(1000, timeout=0.2):
            if message.error() is not None:
                raise RuntimeError(f"reading the accounting changelog: {message.error()}")
            if message.key() is None or message.value() is None:
                continue
            records += 1
            latest[int(message.key())] = PartitionCounts.from_bytes(message.value())
            totals = PartitionCounts.summed(latest.values())
            created = message.timestamp()[1] / 1000
            if earliest is None:
                earliest = (created, totals.total)
            if first is None and created >= not_before:
                first = earliest if earliest[0] >= not_before else (created, totals.total)
            if totals.total >= expected:
                # counted in full before ``not_before``: timed from the first record after all
                first = first or earliest
                return AccountingRun(
                    first_at=first[0],
                    first_total=first[1],
                    covered_at=created,
                    records=records,
                    totals=totals,
                    probe_first=_last_before(probes, first[0]),
                    probe_covered=probe(),
                )
    counted = PartitionCounts.summed(latest.values()).total
    raise TimeoutError(f"the worker's counts reached {counted} of {expected} readings")


def _last_before(probes: list[tuple[float, T]], at: float) -> T:
    """The last probe read before wall time ``at`` (the first one if none was)."""
    earlier = [value for when, value in probes if when <= at]
    return earlier[-1] if earlier else probes[0][1]

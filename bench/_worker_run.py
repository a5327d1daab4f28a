"""One Floodcast worker in a subprocess, on its own app id and output topics, for one bench run."""

from __future__ import annotations

import logging
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from floodcast.worker_process import WorkerProcess
from schemas.settings import Settings

logger = logging.getLogger(__name__)


def _schedstat_cpu_seconds(task: Path) -> float:
    """CPU seconds a thread has run, from ``/proc/.../task/TID/schedstat`` (nanoseconds).

    ``stat``'s utime and stime count whole clock ticks (10 ms): a short timed window of a
    fast worker would read as no CPU at all.
    """
    return int((task / "schedstat").read_text().split()[0]) / 1e9


@dataclass(frozen=True)
class CpuSnapshot:
    """CPU seconds used so far by each thread of a process and by all of them together."""

    threads: dict[int, tuple[str, float]]
    """Native thread id -> (kernel thread name, CPU seconds)."""

    @property
    def process(self) -> float:
        """The threads' CPU seconds together (a thread that ended is no longer counted)."""
        return sum(seconds for _, seconds in self.threads.values())

    @classmethod
    def of_group(cls, pid: int) -> CpuSnapshot:
        """CPU of ``pid`` and its child processes (``floodcast worker --processes N``)."""
        snapshots = [cls.of(p) for p in (pid, *child_pids(pid))]
        return cls({tid: t for snap in snapshots for tid, t in snap.threads.items()})

    @classmethod
    def of(cls, pid: int) -> CpuSnapshot:
        threads = {}
        for task in (Path("/proc") / str(pid) / "task").iterdir():
            try:
                name = (task / "comm").read_text().strip()
                threads[int(task.name)] = (name, _schedstat_cpu_seconds(task))
            except (OSError, ValueError, IndexError):
                continue  # the thread ended meanwhile
        return cls(threads)

    def since(self, earlier: CpuSnapshot) -> CpuSnapshot:
        """CPU seconds used between ``earlier`` and this snapshot, by the threads alive now."""
        return CpuSnapshot(
            {
                tid: (name, seconds - earlier.threads.get(tid, (name, 0.0))[1])
                for tid, (name, seconds) in self.threads.items()
            }
        )


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid``."""
    try:
        text = (Path("/proc") / str(pid) / "task" / str(pid) / "children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` plus its children, in MB."""
    total = 0
    for p in (pid, *child_pids(pid)):
        try:
            status = (Path("/proc") / str(p) / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


def free_port() -> int:
    """A loopback port free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_settings(base: Settings, bootstrap: str, readings_topic: str, *, label: str) -> Settings:
    """``base`` with a fresh app id and output topics, reading ``readings_topic``."""
    suffix = f"{label}-{uuid.uuid4().hex[:8]}"
    return base.model_copy(
        update={
            "kafka_bootstrap": bootstrap,
            "app_id": f"bench-worker-{suffix}",
            "topic_readings": readings_topic,
            "topic_river_levels": f"bench-river-levels-{suffix}",
            "topic_rain_forecasts": f"bench-rain-forecasts-{suffix}",
            "topic_predictions": f"bench-predictions-{suffix}",
            "topic_dead_letters": f"bench-dead-letters-{suffix}",
            "topic_alerts": f"bench-alerts-{suffix}",
            "worker_web_enabled": False,
            # metrics stay on, as deployed, on a port no other worker on the machine holds
            "metrics_port": free_port(),
        }
    )


@contextmanager
def running_worker(
    settings: Settings, scratch: Path, processes: int = 1
) -> Iterator[WorkerProcess]:
    """Start a worker (startup done: it owns the readings partitions), stop it afterwards.

    The worker creates its tables' changelog topics before Faust starts
    (``stream_app.changelog_topics``), so a fresh app id can start on a backlog.
    """
    worker = WorkerProcess(
        # Faust keeps a data directory even with in-memory tables; keep it out of the checkout.
        settings.model_copy(update={"data_dir": scratch / f"{settings.app_id}-data"}),
        scratch / f"{settings.app_id}.log",
        processes=processes,
    )
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


def topic_volume(bootstrap: str, topic: str, timeout: float = 60.0) -> dict[str, int]:
    """Messages in ``topic`` and the bytes of their keys and values (read from the start)."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"bench-volume-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
        }
    )
    deadline = time.monotonic() + timeout
    try:
        partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
        remaining = {}
        for partition in partitions:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=30)
            if high > low:
                remaining[partition] = high
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in remaining])
        messages = size = 0
        while remaining and time.monotonic() < deadline:
            for message in consumer.consume(10_000, timeout=0.5):
                if message.error() is not None:
                    continue
                messages += 1
                size += len(message.key() or b"") + len(message.value() or b"")
                if message.offset() + 1 >= remaining.get(message.partition(), 0):
                    remaining.pop(message.partition(), None)
        return {"messages": messages, "bytes": size}
    finally:
        consumer.close()

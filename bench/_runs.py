"""The pipeline benchmark's measured runs: worker throughput (optionally profiled) and latency."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from confluent_kafka.admin import AdminClient, NewTopic

from bench._accounting_tail import follow_accounting
from bench._latency import (
    LATENCY_WARMUP_S,
    PredictionFollower,
    RecordingPublisher,
    latency_stats,
    live_gauges,
    publish_for,
)
from bench._profile_summary import fold_by_function, summarise
from bench._py_spy import PySpyRecording
from bench._worker_run import (
    CpuSnapshot,
    rss_mb,
    running_worker,
    topic_volume,
    worker_settings,
)
from floodcast.catchment import Simulation
from floodcast.emulator import (
    KafkaPublisher,
    MessagePlanner,
    live_time_shift,
)
from schemas.settings import Settings
from stream_app import read_accounting
from stream_app.app import BASIN_STATE_TABLE, PARTITION_COUNTS_TABLE, changelog_topic
from stream_app.kafka import create_topics

_QUIET_S = 1.5
"""After the last reading, predictions are awaited until none came for this long."""


def throughput_run(
    base: Settings,
    bootstrap: str,
    readings_topic: str,
    readings: int,
    scratch: Path,
    *,
    profile_to: Path | None = None,
    processes: int = 1,
    label: str = "t",
) -> dict[str, object]:
    """One worker over the pre-published readings; its rate and CPU time per reading.

    Args:
        base: worker settings (app id and output topics are replaced by fresh ones).
        bootstrap: Kafka bootstrap servers.
        readings_topic: holds exactly ``readings`` readings.
        readings: how many.
        scratch: worker log and data directory.
        profile_to: sample the worker with py-spy while it works; its stacks, folded by
            function, go here.
        processes: worker processes (``floodcast worker --processes``); CPU and RSS are the
            group's.
        label: part of the run's app id.
    """
    settings = worker_settings(base, bootstrap, readings_topic, label="p" if profile_to else label)
    with running_worker(settings, scratch, processes) as worker:
        ready = time.time()  # every process holds readings partitions
        pid = worker.pid
        if pid is None:
            raise RuntimeError("the worker has no pid")
        recording = None
        if profile_to is not None:
            recording = PySpyRecording(pid, scratch / "py-spy.folded", scratch / "py-spy.log")
            recording.start()
        try:
            run = follow_accounting(
                bootstrap,
                settings.app_id,
                expected=readings,
                probe=lambda: CpuSnapshot.of_group(pid),
                not_before=ready,
            )
            rss = rss_mb(pid)
        finally:
            if recording is not None:
                recording.stop()
    outputs = {
        name: topic_volume(bootstrap, topic)
        for name, topic in (
            ("predictions", settings.topic_predictions),
            ("basin_state_changelog", changelog_topic(settings.app_id, BASIN_STATE_TABLE)),
            ("counts_changelog", changelog_topic(settings.app_id, PARTITION_COUNTS_TABLE)),
        )
    }
    timed = readings - run.first_total
    cpu = run.probe_covered.since(run.probe_first)
    main_cpu = cpu.threads.get(pid, ("", 0.0))[1]
    # with several processes the CPU read is the launcher's, not the workers': rates only
    if timed <= 0 or (cpu.process <= 0 and processes == 1):
        # the first accounting record covered (nearly) every reading: nothing left to time
        raise RuntimeError(
            f"the timed window ({timed} readings, {cpu.process:.4f} s of CPU) is too short to "
            "measure: run with more --readings"
        )
    summary = None
    if profile_to is not None:
        summary = summarise(fold_by_function(scratch / "py-spy.folded", profile_to))
    names = summary.thread_names if summary is not None else {}
    result: dict[str, object] = {
        "app_id": settings.app_id,
        "readings_per_s": round(run.readings_per_s(readings), 1),
        "timed_seconds": round(run.seconds, 3),
        "timed_readings": timed,
        "worker_cpu_seconds": round(cpu.process, 2),
        "worker_cpu_us_per_reading": round(cpu.process / timed * 1e6, 1),
        "readings_per_worker_cpu_second": (
            round(timed / cpu.process, 1) if cpu.process > 0 else None
        ),
        "main_thread_cpu_us_per_reading": round(main_cpu / timed * 1e6, 1),
        "cpu_seconds_by_thread": _by_thread(cpu, pid, names),
        "outputs_written": outputs,
        "accounting": run.totals.as_dict(),
        "profiled": profile_to is not None,
        "processes": processes,
        "worker_rss_mb": rss,
    }
    if summary is not None:
        result["profile"] = summary.as_dict(top=12)
    return result


def _by_thread(cpu: CpuSnapshot, pid: int, names: dict[int, str]) -> dict[str, float]:
    """CPU seconds per thread, named by py-spy when it saw the thread, else by the kernel.

    librdkafka's threads (``rdk:*``, of the confluent-kafka clients in the worker) are summed.
    """
    totals: dict[str, float] = {}
    for tid, (comm, seconds) in cpu.threads.items():
        if tid == pid:
            label = "main (event loop)"
        elif comm.startswith("rdk:"):
            label = "librdkafka threads"
        else:
            label = names.get(tid, comm)
        totals[label] = totals.get(label, 0.0) + seconds
    return {k: round(v, 2) for k, v in sorted(totals.items(), key=lambda kv: -kv[1]) if v > 0}


def latency_run(
    base: Settings,
    bootstrap: str,
    simulations: Sequence[Simulation],
    scratch: Path,
    *,
    rate: float,
    seconds: float,
    partitions: int,
) -> dict[str, object]:
    """A worker fed readings at ``rate`` per second for ``seconds``; gauge -> prediction latency.

    Event time replays the stretch that ends at the current quarter hour, played faster than
    real time: at 1,000 readings/s the built-in basins' 38 gauges cover some 6.6 hours of event
    time per second, so anchored at the current time the readings would soon lie hours in the
    future, which the worker refuses (``max_future_minutes``) as a gauge clock error.
    """
    topic = f"bench-live-readings-{uuid.uuid4().hex[:8]}"
    settings = worker_settings(base, bootstrap, topic, label="l")
    create_topics(
        AdminClient({"bootstrap.servers": bootstrap}),
        [NewTopic(name, partitions, 1) for name in (topic, settings.topic_predictions)],
        timeout=30,
    )
    config = live_gauges(topic, rate, partitions)
    first = simulations[0]
    per_step = sum(sim.basin.n_gauges for sim in simulations)
    steps = math.ceil(seconds * rate / per_step) + 1
    replay_from = datetime.now(UTC) - timedelta(minutes=steps * first.step_minutes)
    shift = live_time_shift(first.start, first.step_minutes, replay_from)
    planner = MessagePlanner(simulations, config, time_shift=shift)
    with running_worker(settings, scratch):
        follower = PredictionFollower(bootstrap, settings.topic_predictions, partitions)
        follower.start()
        publisher = RecordingPublisher(KafkaPublisher(bootstrap, config.producer))
        try:
            report, began = publish_for(planner, publisher, seconds)
        finally:
            publisher.inner.close()
        _await_quiet(follower)
        follower.stop()
        accounting = read_accounting(bootstrap, settings.app_id)
    stats = latency_stats(follower.arrivals, publisher.last_sent, after=began + LATENCY_WARMUP_S)
    return {
        "rate_target_per_s": rate,
        "rate_achieved_per_s": round(report.valid_sent / report.elapsed_s, 1),
        "seconds": round(report.elapsed_s, 1),
        "readings_sent": report.valid_sent,
        "warmup_excluded_s": LATENCY_WARMUP_S,
        "event_time": f"{report.first_observed_at} .. {report.last_observed_at}",
        "accounting": accounting.totals.as_dict(),
        **stats,
    }


def _await_quiet(follower: PredictionFollower, limit: float = 10.0) -> None:
    """Wait until no prediction arrived for ``_QUIET_S`` (at most ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    seen = -1
    while time.monotonic() < deadline and seen != len(follower.arrivals):
        seen = len(follower.arrivals)
        time.sleep(_QUIET_S)

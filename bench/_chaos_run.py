"""One chaos scenario: storm readings flow through workers while one kind of fault is injected."""

from __future__ import annotations

import logging
import random
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from confluent_kafka.admin import AdminClient, NewTopic

from bench._chaos_broker import ChaosBroker
from bench._chaos_check import Outcome, ProgressFollower, check_outcome, wait_until_counted
from bench._chaos_feed import PacedFeed, storm_messages
from floodcast.worker_process import WorkerProcess
from schemas.settings import Settings
from stream_app.kafka import create_topics

__all__ = ["FAULT_KINDS", "Fault", "Scenario", "ScenarioResult", "run_scenario"]

logger = logging.getLogger(__name__)

FAULT_KINDS = ("worker_sigkill", "graceful_restart", "broker_sigkill", "scale_1_3_1", "network_cut")

_SECONDS_PER_FAULT = 45.0
"""Feed planned per fault: enough readings keep flowing through the slowest recovery."""


@dataclass(frozen=True)
class Scenario:
    """A fault kind, how many times to inject it, and the feed's pace."""

    kind: str
    faults: int
    rate: float = 150.0
    """Readings per second."""
    seed: int = 0
    calm: tuple[float, float] = (2.0, 6.0)
    """Random wait before each fault, seconds (the fault lands at a random moment)."""
    cut_seconds: tuple[float, float] = (3.0, 15.0)
    """How long a network cut lasts."""


@dataclass
class Fault:
    """One injected fault and how long scoring took to resume after it."""

    kind: str
    at: float
    """Epoch seconds of the injection."""
    recover_from: float
    """From when scoring could resume: the kill (the restart is issued at once), the link's
    return, the last new worker owning partitions, or the last leaving one gone."""
    progress_after: float | None = None
    """Only batches finished after this count as recovered (default ``recover_from``): a
    worker goes on processing what it fetched while the broker is down, and its changelog
    records carry the time they were made, not the time the restarted broker took them."""
    recovery_seconds: float | None = None
    """From ``recover_from`` to the first batch finished after ``progress_after``; None: none
    seen."""


@dataclass
class ScenarioResult:
    scenario: Scenario
    faults: list[Fault]
    outcome: Outcome
    unplanned_exits: int
    """Workers that exited without being told to (restarted by the run, as a supervisor would)."""
    seconds: float
    logs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "scenario": asdict(self.scenario),
            "faults": [asdict(f) for f in self.faults],
            "outcome": self.outcome.as_dict(),
            "unplanned_exits": self.unplanned_exits,
            "seconds": round(self.seconds, 1),
            "worker_logs": self.logs,
        }


def run_scenario(
    broker: ChaosBroker, base: Settings, scenario: Scenario, workdir: Path
) -> ScenarioResult:
    """Run ``scenario`` on ``broker`` with workers configured from ``base``.

    Args:
        broker: the running chaos broker.
        base: model, batching and limits; topics and app id are made unique here.
        scenario: what to inject.
        workdir: worker logs and data.
    """
    began = time.monotonic()
    settings = _settings(base, broker, workdir, scenario.kind)
    _create_readings_topic(broker, settings)
    run = _Run(broker, settings, scenario, workdir)
    budget = int(scenario.rate * (scenario.faults * _SECONDS_PER_FAULT + 60))
    messages = storm_messages(budget, scenario.seed)
    run.start_worker()
    follower = ProgressFollower(broker.bootstrap, settings.app_id, settings.readings_partitions)
    feed = PacedFeed(broker.bootstrap, settings.topic_readings, messages, scenario.rate).start()
    try:
        for _ in range(scenario.faults):
            run.calm(random_wait(run.rng, scenario.calm))
            run.inject()
        run.calm(5.0)
        sent = feed.stop()
        wait_until_counted(settings, broker.bootstrap, len(sent), timeout=300.0)
        run.supervise()
        outcome = check_outcome(settings, broker.bootstrap, sent)
        for fault in run.faults:
            after = fault.progress_after or fault.recover_from
            done = follower.first_after(after, timeout=5.0)
            fault.recovery_seconds = None if done is None else round(done - fault.recover_from, 2)
    finally:
        if not feed.finished:
            feed.stop()
        follower.close()
        run.stop_all()
    return ScenarioResult(
        scenario,
        run.faults,
        outcome,
        run.unplanned_exits,
        time.monotonic() - began,
        [str(w.log_path) for w in run.workers],
    )


def random_wait(rng: random.Random, bounds: tuple[float, float]) -> float:
    return rng.uniform(*bounds)


class _Run:
    """The workers of one scenario and the faults injected into them."""

    def __init__(
        self, broker: ChaosBroker, settings: Settings, scenario: Scenario, workdir: Path
    ) -> None:
        self.broker = broker
        self.settings = settings
        self.scenario = scenario
        self.workdir = workdir
        # a seeded, repeatable fault schedule: not a secret (bandit B311)
        self.rng = random.Random(scenario.seed)  # nosec B311
        self.workers: list[WorkerProcess] = []
        """Every worker started, for their logs."""
        self.active: list[WorkerProcess] = []
        """The workers meant to be running now."""
        self.faults: list[Fault] = []
        self.unplanned_exits = 0

    def start_worker(self, *, own_readings: bool = True) -> WorkerProcess:
        worker = WorkerProcess(
            self.settings, self.workdir / f"{self.settings.app_id}-worker-{len(self.workers)}.log"
        )
        self.workers.append(worker)
        self.active.append(worker)
        worker.start(own_readings=own_readings)
        return worker

    def calm(self, seconds: float) -> None:
        """Let readings flow for ``seconds``, restarting any worker that died meanwhile."""
        deadline = time.monotonic() + seconds
        while True:
            self.supervise()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.5))

    def supervise(self) -> None:
        for worker in self.active:
            if not worker.running:
                self.unplanned_exits += 1
                logger.warning("worker exited unasked:\n%s", worker.log_tail(15))
                worker.start(own_readings=worker is self.active[0])

    def inject(self) -> None:
        kind = self.scenario.kind
        now = time.time()
        if kind == "worker_sigkill":
            worker = self.active[0]
            worker.kill()
            self.faults.append(Fault(kind, now, now))
            worker.start()
        elif kind == "graceful_restart":
            worker = self.active[0]
            worker.stop()
            self.faults.append(Fault(kind, now, time.time()))
            worker.start()
        elif kind == "broker_sigkill":
            self.broker.kill_and_restart()
            self.faults.append(Fault(kind, now, now, progress_after=time.time()))
        elif kind == "network_cut":
            self.broker.proxy.cut()
            time.sleep(random_wait(self.rng, self.scenario.cut_seconds))
            self.broker.proxy.restore()
            self.faults.append(Fault(kind, now, time.time()))
        elif kind == "scale_1_3_1":
            self._scale(now)
        else:
            raise ValueError(f"unknown fault kind {kind!r}")

    def _scale(self, now: float) -> None:
        """1 -> 3 workers, readings flowing, then back to 1 (graceful stops)."""
        # Faust's sticky assignor may leave one of three workers idle on four partitions
        extra = [self.start_worker(own_readings=False) for _ in range(2)]
        self.faults.append(Fault("scale_out", now, time.time()))
        self.calm(random_wait(self.rng, self.scenario.calm))
        left = time.time()
        for worker in extra:
            self.active.remove(worker)
            worker.stop()
        self.faults.append(Fault("scale_in", left, time.time()))

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()


def _settings(base: Settings, broker: ChaosBroker, workdir: Path, kind: str) -> Settings:
    suffix = f"{kind.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
    return base.model_copy(
        update={
            "kafka_bootstrap": broker.worker_bootstrap,
            "app_id": f"chaos-{suffix}",
            "topic_readings": f"chaos-readings-{suffix}",
            "topic_river_levels": f"chaos-river-levels-{suffix}",
            "topic_rain_forecasts": f"chaos-rain-forecasts-{suffix}",
            "topic_predictions": f"chaos-predictions-{suffix}",
            "topic_dead_letters": f"chaos-dead-letters-{suffix}",
            "topic_alerts": f"chaos-alerts-{suffix}",
            "worker_web_enabled": False,
            "metrics_enabled": False,
            "monitor_in_worker": False,
            "data_dir": workdir / "data",
            "log_level": "INFO",
        }
    )


def _create_readings_topic(broker: ChaosBroker, settings: Settings) -> None:
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    topic = NewTopic(settings.topic_readings, settings.readings_partitions, 1)
    create_topics(admin, [topic], 30.0)

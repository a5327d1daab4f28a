"""Play simulated storms through the real broker and worker; read back what they published.

The run is set up as the demo's (``floodcast.demo.session``): the local broker unless one is
configured, topics and a consumer group of the run's own, each client as its principal, the
worker as ``python -m floodcast worker``. The gauge emulator publishes the simulations as it
always does (readings, flood observations and whatever else it sends), so the evaluation sees
the stream a deployment would.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from rich.console import Console

from floodcast.catchment import Simulation
from floodcast.demo.session import delete_run_topics, run_broker, run_principals, run_settings
from floodcast.emulator import EmulatorConfig, EmulatorReport, run_emulator
from floodcast.evaluation.exceptions import IncompletePlaybackError
from floodcast.monitoring.signals.accounting_tail import AccountingTail
from floodcast.monitoring.signals.topic_tail import TopicTail
from floodcast.worker_process import WorkerProcess
from schemas import FloodObservation, FloodPathPrediction
from schemas.settings import Settings
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.kafka import security_config

__all__ = ["Playback", "play_through_stream"]

M = TypeVar("M", bound=BaseModel)

_READINGS_PER_SECOND_FLOOR = 100.0
"""The slowest worker the wait allows for (a loaded 2-core machine does several hundred)."""
_PROGRESS_SECONDS = 15.0


@dataclass(frozen=True, eq=False)
class Playback:
    """What went into the stream and what came out.

    Attributes:
        report: the emulator's report (readings sent, faults, observations).
        predictions: every flood-path prediction on the run's topic, in topic order.
        observations: every flood observation on the run's topic.
        unreadable: messages of either topic that were not a valid message of its schema.
        scored / pending / dead_lettered / deduplicated: the worker's accounting at the end.
        seconds: wall-clock time from the first reading sent to the last one accounted for.
    """

    report: EmulatorReport
    predictions: list[FloodPathPrediction]
    observations: list[FloodObservation]
    unreadable: int
    scored: int
    pending: int
    dead_lettered: int
    deduplicated: int
    seconds: float


def play_through_stream(
    settings: Settings,
    config: EmulatorConfig,
    simulations: Sequence[Simulation],
    *,
    model_path: Path,
    console: Console,
    keep_topics: bool = False,
) -> Playback:
    """Start broker (if needed) and worker, publish ``simulations``, wait, read the topics.

    Args:
        settings: the base settings (broker, security, data directory).
        config: the emulator run (pacing, faults); its topics are replaced by the run's own.
        simulations: the runs to publish.
        model_path: the model package the worker serves.
        console: where progress is told.
        keep_topics: keep the run's topics afterwards.

    Returns:
        What was published and read back.

    Raises:
        IncompletePlaybackError: the worker stopped, or did not account for every reading.
        PublishError: the emulator could not publish.
    """
    run = run_settings(settings, "evaluate").model_copy(
        update={
            "model_path": model_path,
            "worker_web_enabled": False,
            "metrics_enabled": False,
            "monitor_in_worker": False,
        }
    )
    with ExitStack() as stack:
        security = stack.enter_context(run_broker(settings, console))
        principals = run_principals(run, security, keep_topics, stack, console)
        if not keep_topics:
            stack.callback(delete_run_topics, principals.admin)
        worker = WorkerProcess(
            principals.worker, settings.data_dir / "evaluate" / f"{run.app_id}.log"
        )
        console.print(f"starting the stream worker (log: {worker.log_path})")
        worker.start()
        stack.callback(worker.stop)
        emulator = principals.emulator
        run_config = config.model_copy(
            update={
                "readings_topic": emulator.topic_readings,
                "observations_topic": emulator.topic_observations,
                "partitions": emulator.readings_partitions,
            }
        )
        began = time.monotonic()
        report = run_emulator(
            run_config,
            bootstrap=emulator.bootstrap_servers,
            simulations=simulations,
            security=security_config(emulator),
            observations_security=security_config(principals.observer),
        )
        report.raise_for_failures()
        console.print(f"published {report.readings_messages} readings; waiting for the worker")
        counts = _wait_accounted(principals.screen, worker, report.readings_messages, console)
        seconds = time.monotonic() - began
        screen = principals.screen
        predictions, bad_predictions = _read_all(
            screen, screen.topic_predictions, FloodPathPrediction
        )
        observations, bad_observations = _read_all(
            screen, screen.topic_observations, FloodObservation
        )
    return Playback(
        report=report,
        predictions=predictions,
        observations=observations,
        unreadable=bad_predictions + bad_observations,
        scored=counts.scored,
        pending=counts.pending,
        dead_lettered=counts.dead_letters,
        deduplicated=counts.deduplicated,
        seconds=seconds,
    )


def _wait_accounted(
    settings: Settings, worker: WorkerProcess, expected: int, console: Console
) -> PartitionCounts:
    """Wait until the worker's accounting holds every reading sent.

    The worker sends a batch's predictions, and waits for the broker to have them, before it
    writes the batch's counts: once the counts cover every reading, every prediction is on
    the topic. Readings still pending then wait for a slot that no later reading will close
    (a gauge offline at the end of the run); they lie in the run's last hour, whose rows are
    not verified (the last horizon never is).
    """
    deadline = time.monotonic() + 120.0 + expected / _READINGS_PER_SECOND_FLOOR
    # followed by assignment, as the monitor does: no consumer group, so no group ACL needed
    accounting = AccountingTail(
        settings.bootstrap_servers, settings.app_id, security=security_config(settings)
    )
    try:
        return _follow(accounting, worker, expected, deadline, console)
    finally:
        accounting.close()


def _follow(
    accounting: AccountingTail,
    worker: WorkerProcess,
    expected: int,
    deadline: float,
    console: Console,
) -> PartitionCounts:
    """Poll the accounting until it covers ``expected`` readings (see ``_wait_accounted``)."""
    next_report = time.monotonic() + _PROGRESS_SECONDS
    while True:
        totals = accounting.poll(budget=1.0)
        if totals.total >= expected:
            return totals
        if not worker.running:
            raise IncompletePlaybackError(f"the stream worker stopped:\n{worker.log_tail()}")
        if time.monotonic() > deadline:
            raise IncompletePlaybackError(
                f"the worker accounted for {totals.total} of {expected} readings in time"
            )
        if time.monotonic() > next_report:
            next_report += _PROGRESS_SECONDS
            console.print(f"the worker has accounted for {totals.total} of {expected} readings")
        time.sleep(0.5)


def _read_all(settings: Settings, topic: str, model: type[M]) -> tuple[list[M], int]:
    """Every message of ``topic`` up to its end, decoded; and how many were not ``model``."""
    tail = TopicTail(settings.bootstrap_servers, topic, security=security_config(settings))
    try:
        messages = tail.poll_to_end(timeout=120.0)
    finally:
        tail.close()
    decoded, unreadable = [], 0
    for message in messages:
        try:
            decoded.append(model.model_validate_json(message.value() or b""))
        except ValidationError:
            unreadable += 1
    return decoded, unreadable

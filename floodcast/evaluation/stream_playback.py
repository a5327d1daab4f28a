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
from floodcast.evaluation.worker_progress import WorkerProgress
from floodcast.monitoring.signals.accounting_tail import AccountingTail
from floodcast.monitoring.signals.topic_tail import TopicTail
from floodcast.worker_process import WorkerProcess
from schemas import FloodObservation, FloodPathPrediction
from schemas.settings import Settings
from stream_app.accounting.partition_counts import PartitionCounts
from stream_app.kafka import security_config

__all__ = ["Playback", "SideAccount", "play_through_stream"]

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, eq=False)
class Playback:
    """What went into the stream and what came out.

    Attributes:
        report: the emulator's report (readings sent, faults, observations).
        predictions: every flood-path prediction on the run's topic, in topic order.
        observations: every flood observation on the run's topic.
        unreadable: messages of either topic that were not a valid message of its schema.
        scored / pending / dead_lettered / deduplicated: the worker's accounting at the end.
        sides: per side-input topic played (``river_levels``, ``rain_forecasts``), what was
            sent and the worker's accounting of it at the end.
        seconds: wall-clock time from the first reading sent to the last one accounted for.
        flow_wait_seconds: of which the playback waited for the worker between chunks.
    """

    report: EmulatorReport
    predictions: list[FloodPathPrediction]
    observations: list[FloodObservation]
    unreadable: int
    scored: int
    pending: int
    dead_lettered: int
    deduplicated: int
    sides: dict[str, SideAccount]
    seconds: float
    flow_wait_seconds: float


@dataclass(frozen=True)
class SideAccount:
    """A side-input topic's messages sent, and the worker's accounting of them at the end."""

    topic: str
    sent: int
    counts: PartitionCounts

    @property
    def too_late(self) -> int:
        """Messages dead-lettered because their slot was final already."""
        return self.counts.dead_lettered.get("too_late", 0)

    @property
    def balanced(self) -> bool:
        """Every message sent is scored, pending, deduplicated or dead-lettered."""
        return self.counts.total == self.sent


def play_through_stream(
    settings: Settings,
    config: EmulatorConfig,
    simulations: Sequence[Simulation],
    *,
    model_path: Path,
    console: Console,
    keep_topics: bool = False,
    chunk_steps: int = WorkerProgress.chunk_steps,
) -> Playback:
    """Start broker (if needed) and worker, publish ``simulations``, wait, read the topics.

    Args:
        settings: the base settings (broker, security, data directory).
        config: the emulator run (pacing, faults); its topics are replaced by the run's own.
        simulations: the runs to publish.
        model_path: the model package the worker serves.
        console: where progress is told.
        keep_topics: keep the run's topics afterwards.
        chunk_steps: steps played per chunk, each held back until the worker has read the
            river levels and forecasts sent (``WorkerProgress``).

    Returns:
        What was published and read back.

    Raises:
        IncompletePlaybackError: the worker stopped, or did not account for every message.
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
                "river_levels_topic": emulator.topic_river_levels,
                "forecasts_topic": emulator.topic_rain_forecasts,
                "observations_topic": emulator.topic_observations,
                "partitions": emulator.readings_partitions,
            }
        )
        side_topics = {
            name: topic
            for name, topic, played in (
                ("river_levels", emulator.topic_river_levels, config.river_levels),
                ("rain_forecasts", emulator.topic_rain_forecasts, config.forecasts),
            )
            if played
        }
        screen = principals.screen
        # followed by assignment, as the monitor does: no consumer group, so no group ACL needed
        accounting = AccountingTail(
            screen.bootstrap_servers, screen.app_id, security=security_config(screen)
        )
        stack.callback(accounting.close)
        flow = WorkerProgress(
            accounting,
            worker,
            console,
            readings_topic=emulator.topic_readings,
            side_topics=tuple(side_topics.values()),
            chunk_steps=chunk_steps,
        )
        began = time.monotonic()
        report = run_emulator(
            run_config,
            bootstrap=emulator.bootstrap_servers,
            simulations=simulations,
            security=security_config(emulator),
            observations_security=security_config(principals.observer),
            flow=flow,
        )
        report.raise_for_failures()
        sent = {
            "river_levels": report.river_levels.messages if report.river_levels else 0,
            "rain_forecasts": report.forecasts_sent,
        }
        console.print(
            f"published {report.readings_messages} readings"
            + "".join(f", {sent[name]} {name.replace('_', ' ')}" for name in side_topics)
            + "; waiting for the worker"
        )
        counts = flow.wait_for(
            report.readings_messages,
            {topic: sent[name] for name, topic in side_topics.items()},
        )
        seconds = time.monotonic() - began
        sides = {
            name: SideAccount(topic, sent[name], accounting.side_totals(topic))
            for name, topic in side_topics.items()
        }
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
        sides=sides,
        seconds=seconds,
        flow_wait_seconds=flow.waited_seconds,
    )


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

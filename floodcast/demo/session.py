"""Run the demo: start what is missing, play a storm through the worker, show the paths.

Event time is a replay of the last hours, played faster than real time, so readings never
claim to come from the future. Each run uses its own topics and consumer group (suffixed with
the run's start time), so runs never see each other's readings, watermarks or dedupe state.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from confluent_kafka import Consumer
from confluent_kafka.admin import AdminClient
from rich.console import Console
from rich.live import Live

from floodcast.demo.prediction_board import PredictionBoard
from floodcast.exceptions import DemoError
from floodcast.kafka_clients import client_config, security_config
from floodcast.settings import Settings
from gauge_emulator import EmulatorConfig, EmulatorReport, Pacing, run_emulator
from kafka_local import LocalBroker
from schemas import FloodObservation, FloodPathPrediction
from stream_app.runner import WorkerProcess


@dataclass(frozen=True)
class DemoOptions:
    """What the demo plays."""

    basins: tuple[str, ...] = ()
    storm: str = "stalled"
    hours: float = 30.0
    speedup: float = 360.0
    duration_seconds: float | None = None
    seed: int = 0
    keep_topics: bool = False


@contextmanager
def _broker(settings: Settings, console: Console) -> Iterator[None]:
    """The local broker, started (and later stopped) unless one is configured or running."""
    if settings.kafka_bootstrap:
        console.print(f"using the configured broker at {settings.kafka_bootstrap}")
        yield
        return
    from floodcast.commands.broker import broker_config, ensure_jars

    broker = LocalBroker(ensure_jars(settings), broker_config(settings))
    if broker.status().running:
        console.print(f"using the local broker already running at {settings.bootstrap_servers}")
        yield
        return
    console.print(f"starting Apache Kafka {settings.kafka_version} at {settings.bootstrap_servers}")
    broker.start()
    try:
        yield
    finally:
        broker.stop()
        console.print("local broker stopped")


def _run_settings(settings: Settings) -> Settings:
    run = f"demo-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
    return settings.model_copy(
        update={
            "app_id": f"floodcast-{run}",
            "topic_readings": f"{run}.gauge-readings",
            "topic_predictions": f"{run}.flood-path-predictions",
            "topic_dead_letters": f"{run}.gauge-readings.dlq",
            "topic_alerts": f"{run}.ops-alerts",
            "topic_observations": f"{run}.flood-observations",
        }
    )


def _delete_topics(settings: Settings) -> None:
    admin = AdminClient(client_config(settings))
    prefix = settings.topic_readings.removesuffix(".gauge-readings")
    app_topics = [
        t for t in admin.list_topics(timeout=10).topics if t.startswith((prefix, settings.app_id))
    ]
    for future in admin.delete_topics(app_topics, operation_timeout=10).values():
        future.result()


def _replay_start(hours: float) -> datetime:
    """Quarter-hour-aligned start of a replay of ``hours`` that ends at the current time."""
    now = datetime.now(UTC)
    aligned = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return aligned - timedelta(hours=hours)


def _start_emulator(
    settings: Settings, options: DemoOptions, stop: threading.Event
) -> tuple[threading.Thread, list[EmulatorReport]]:
    config = EmulatorConfig(
        basins=options.basins,
        storm=options.storm,  # type: ignore[arg-type]
        storm_start_hours=2.0,
        hours=options.hours,
        seed=options.seed,
        pacing=Pacing.speedup(options.speedup),
        # replay the last `hours` of event time ending now: accelerated, but never in the future
        start=_replay_start(options.hours),
        time_anchor="simulation",
        readings_topic=settings.topic_readings,
        observations_topic=settings.topic_observations,
        partitions=settings.readings_partitions,
    )
    reports: list[EmulatorReport] = []
    thread = threading.Thread(
        target=lambda: reports.append(
            run_emulator(
                config,
                bootstrap=settings.bootstrap_servers,
                stop=stop,
                security=security_config(settings),
            )
        ),
        name="gauge-emulator",
        daemon=True,
    )
    thread.start()
    return thread, reports


def _consumer(settings: Settings) -> Consumer:
    consumer = Consumer(
        {
            **client_config(settings),
            "group.id": f"{settings.app_id}-screen",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            # the observations topic appears once the gauges start: look for it often
            "topic.metadata.refresh.interval.ms": 2000,
        }
    )
    consumer.subscribe([settings.topic_predictions, settings.topic_observations])
    return consumer


def _watch(
    settings: Settings,
    options: DemoOptions,
    worker: WorkerProcess,
    emulator: threading.Thread,
    console: Console,
    board: PredictionBoard,
) -> None:
    consumer = _consumer(settings)
    started = time.monotonic()
    done_at: float | None = None
    try:
        with Live(board.render("starting"), console=console, refresh_per_second=4) as live:
            while True:
                elapsed = time.monotonic() - started
                if options.duration_seconds is not None and elapsed >= options.duration_seconds:
                    break
                if not worker.running:
                    raise DemoError(f"the stream worker stopped:\n{worker.log_tail()}")
                if done_at is None and not emulator.is_alive():
                    done_at = elapsed
                if done_at is not None and elapsed - done_at > 15:  # let the last slots score
                    break
                for message in consumer.consume(num_messages=500, timeout=0.25):
                    if message.error():
                        continue
                    if message.topic() == settings.topic_predictions:
                        board.add_prediction(
                            FloodPathPrediction.model_validate_json(message.value())
                        )
                    else:
                        board.add_observation(FloodObservation.model_validate_json(message.value()))
                state = "gauges publishing" if done_at is None else "storm over, draining"
                live.update(
                    board.render(
                        f"{elapsed:4.0f} s · {state} · {board.predictions_seen} predictions · "
                        f"event time ×{options.speedup:g} · Ctrl-C to stop"
                    )
                )
    finally:
        consumer.close()


def run_demo(settings: Settings, options: DemoOptions, console: Console) -> PredictionBoard:
    """Run the whole demo until the storm has played out, ``duration`` passes, or Ctrl-C."""
    run_settings = _run_settings(settings)
    stop = threading.Event()
    board = PredictionBoard()
    with ExitStack() as stack:
        stack.enter_context(_broker(settings, console))
        if not options.keep_topics:
            stack.callback(_delete_topics, run_settings)
        worker = WorkerProcess(
            run_settings, settings.data_dir / "demo" / f"{run_settings.app_id}.log"
        )
        console.print(f"starting the stream worker (log: {worker.log_path})")
        worker.start()
        stack.callback(worker.stop)
        emulator, reports = _start_emulator(run_settings, options, stop)
        stack.callback(emulator.join, 30)
        stack.callback(stop.set)
        try:
            _watch(run_settings, options, worker, emulator, console, board)
        except KeyboardInterrupt:
            console.print("stopping …")
    if reports:
        console.print(reports[0].summary())
    return board

"""Run the demo: start what is missing, play a storm through the worker, show the paths.

Event time is a replay of the last hours, played faster than real time, so readings never
claim to come from the future. Each run uses its own topics and consumer group (suffixed with
the run's start time), so runs never see each other's readings, watermarks or dedupe state.
On the secured local broker each component connects as its own SCRAM user (``SecuredRun``).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from confluent_kafka.admin import AdminClient
from rich.console import Console
from rich.live import Live

from converters.river_network import Basin
from floodcast.catchment import get_basin, list_basins
from floodcast.demo.forecast_readout import ForecastReadout, forecast_areas
from floodcast.demo.level_readout import LevelReadout, sensor_sites
from floodcast.demo.prediction_board import PredictionBoard
from floodcast.demo.principals import DemoPrincipals, principal_name
from floodcast.demo.secured_run import SecuredRun, create_run_topics
from floodcast.emulator import EmulatorConfig, EmulatorReport, Pacing, run_emulator
from floodcast.exceptions import DemoError
from floodcast.kafka_local import BrokerSecurity, LocalBroker
from floodcast.monitoring.exceptions import TopicTailError
from floodcast.monitoring.signals.topic_tail import TopicTail
from floodcast.worker_process import WorkerProcess
from schemas.settings import Settings
from stream_app.kafka import client_config, security_config


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
    web: bool = False
    """Serve the operator page (the REST API) during the run."""


@contextmanager
def run_broker(settings: Settings, console: Console) -> Iterator[BrokerSecurity | None]:
    """The local broker, started (and later stopped) unless one is configured or running.

    Yields the local broker's security when it is secured; ``None`` for a plaintext local
    broker or a configured one (whose clients use the configured security as it is).
    """
    if settings.kafka_bootstrap:
        console.print(f"using the configured broker at {settings.kafka_bootstrap}")
        yield None
        return
    from floodcast.kafka_local.settings_broker import broker_config, ensure_jars

    config = broker_config(settings)
    broker = LocalBroker(ensure_jars(settings), config)
    if broker.status().running:
        console.print(f"using the local broker already running at {settings.bootstrap_servers}")
        yield config.security
        return
    console.print(f"starting Apache Kafka {settings.kafka_version} at {settings.bootstrap_servers}")
    broker.start()
    try:
        yield config.security
    finally:
        broker.stop()
        console.print("local broker stopped")


def run_settings(settings: Settings, kind: str = "demo") -> Settings:
    """``settings`` with a consumer group and topics of their own, named ``<kind>-<time>-…``."""
    run = f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
    return settings.model_copy(
        update={
            "app_id": f"floodcast-{run}",
            "topic_readings": f"{run}.gauge-readings",
            "topic_river_levels": f"{run}.river-levels",
            "topic_rain_forecasts": f"{run}.rain-forecasts",
            "topic_predictions": f"{run}.flood-path-predictions",
            "topic_dead_letters": f"{run}.gauge-readings.dlq",
            "topic_alerts": f"{run}.ops-alerts",
            "topic_observations": f"{run}.flood-observations",
        }
    )


def delete_run_topics(settings: Settings) -> None:
    """Delete the run's topics and its worker group's changelogs."""
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


def run_principals(
    settings: Settings,
    security: BrokerSecurity | None,
    keep_topics: bool,
    stack: ExitStack,
    console: Console,
) -> DemoPrincipals:
    """Each client's settings; on the secured local broker, the run's users, topics and ACLs."""
    if security is None:
        create_run_topics(AdminClient(client_config(settings)), settings)
        return DemoPrincipals.configured(settings)
    run = SecuredRun(settings, security)
    created = run.provision()
    if created:
        console.print(f"created SCRAM users: {', '.join(created)}")
    console.print(f"the run's topics and ACLs set up as {principal_name(run.principals.admin)}")
    if not keep_topics:
        stack.callback(run.revoke)
    return run.principals


def _start_emulator(
    principals: DemoPrincipals, options: DemoOptions, stop: threading.Event
) -> tuple[threading.Thread, list[EmulatorReport]]:
    settings = principals.emulator
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
        river_levels_topic=settings.topic_river_levels,
        forecasts=True,  # the stream serves the full model
        forecasts_topic=settings.topic_rain_forecasts,
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
                observations_security=security_config(principals.observer),
            )
        ),
        name="gauge-emulator",
        daemon=True,
    )
    thread.start()
    return thread, reports


def _run_basins(options: DemoOptions) -> list[Basin]:
    """The river networks of the run's basins."""
    return [get_basin(basin_id) for basin_id in options.basins or list_basins()]


def _level_readout(options: DemoOptions) -> LevelReadout:
    """The river levels of the run's basins' stage sensors, ready to show."""
    return LevelReadout(sensor_sites(_run_basins(options)))


def _forecast_readout(options: DemoOptions) -> ForecastReadout:
    """The rain forecasts of the run's basins, ready to show."""
    return ForecastReadout(forecast_areas(_run_basins(options)))


def _tails(settings: Settings) -> tuple[TopicTail, TopicTail, TopicTail, TopicTail]:
    """Followers of the predictions, the flood observations, the river levels and the rain
    forecasts, from their start.

    They read by assignment, in no consumer group and committing nothing: on the secured
    broker the screen's principal needs only read access to the two topics, and no run
    leaves a group behind. A topic that does not exist yet (the emulator creates the
    observations topic when it starts, unless set up beforehand) is looked for at each poll.
    """
    bootstrap, security = settings.bootstrap_servers, security_config(settings)
    return (
        TopicTail(bootstrap, settings.topic_predictions, security=security),
        TopicTail(bootstrap, settings.topic_observations, security=security),
        TopicTail(bootstrap, settings.topic_river_levels, security=security),
        TopicTail(bootstrap, settings.topic_rain_forecasts, security=security),
    )


def _watch(
    settings: Settings,
    options: DemoOptions,
    worker: WorkerProcess,
    emulator: threading.Thread,
    console: Console,
    board: PredictionBoard,
) -> None:
    tails = _tails(settings)
    predictions, observations, levels, forecasts = tails
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
                for tail, take, budget in (
                    (predictions, board.take_prediction, 0.2),
                    (observations, board.take_observation, 0.05),
                    (levels, board.take_level, 0.05),
                    (forecasts, board.take_forecast, 0.05),
                ):
                    for message in tail.poll(budget=budget):
                        take(message.value())
                state = "gauges publishing" if done_at is None else "storm over, draining"
                live.update(
                    board.render(
                        f"{elapsed:4.0f} s · {state} · {board.predictions_seen} predictions · "
                        f"event time ×{options.speedup:g} · Ctrl-C to stop"
                    )
                )
    except TopicTailError as exc:
        raise DemoError(f"the screen could not read the run's topics: {exc}") from exc
    finally:
        for tail in tails:
            tail.close()


def run_demo(settings: Settings, options: DemoOptions, console: Console) -> PredictionBoard:
    """Run the whole demo until the storm has played out, ``duration`` passes, or Ctrl-C."""
    run = run_settings(settings)
    stop = threading.Event()
    board = PredictionBoard(levels=_level_readout(options), forecasts=_forecast_readout(options))
    with ExitStack() as stack:
        security = stack.enter_context(run_broker(settings, console))
        principals = run_principals(run, security, options.keep_topics, stack, console)
        if not options.keep_topics:
            stack.callback(delete_run_topics, principals.admin)
        console.print("Kafka principals: " + "; ".join(principals.lines()))
        if options.web:
            if security is not None:
                raise DemoError(
                    "--web is not available on the secured local broker yet: the API's "
                    "principal may not read the run's alerts and readings"
                )
            from floodcast.demo.web_page import operator_page

            stack.enter_context(operator_page(principals.screen, console))
        worker = WorkerProcess(principals.worker, settings.data_dir / "demo" / f"{run.app_id}.log")
        console.print(f"starting the stream worker (log: {worker.log_path})")
        worker.start()
        stack.callback(worker.stop)
        emulator, reports = _start_emulator(principals, options, stop)
        stack.callback(emulator.join, 30)
        stack.callback(stop.set)
        try:
            _watch(principals.screen, options, worker, emulator, console, board)
        except KeyboardInterrupt:
            console.print("stopping …")
    if reports:
        console.print(reports[0].summary())
    return board

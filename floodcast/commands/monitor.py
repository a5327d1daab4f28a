"""``floodcast monitor`` (lag, error-rate and gauge alerts without a worker) and ``status``."""

from __future__ import annotations

import logging.config
import signal
import threading
import time
from typing import Annotated

import typer

logger = logging.getLogger("monitoring")


def monitor(
    duration: Annotated[
        float | None, typer.Option(help="Stop after this many seconds (default: run until ^C).")
    ] = None,
) -> None:
    """Watch the worker group's lag, dead-letter share and gauges; publish ops alerts.

    Alerts go to the ops-alerts topic and to the JSON log on stderr.
    """
    from floodcast.monitoring import KafkaAlertChannel, LogAlertChannel, Monitor, MonitoringError
    from schemas.settings import get_settings
    from stream_app.json_logging import log_event, logging_config
    from stream_app.kafka import security_config

    settings = get_settings()
    logging.config.dictConfig(logging_config(settings.log_level))
    channel = KafkaAlertChannel(
        settings.bootstrap_servers, settings.topic_alerts, security=security_config(settings)
    )
    try:
        channel.ensure_topic(settings.readings_partitions, settings.replication_factor)
    except MonitoringError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    if duration is not None:
        timer = threading.Timer(duration, stop.set)
        timer.daemon = True
        timer.start()
    watcher = Monitor(settings, [channel, LogAlertChannel()])
    log_event(logger, "monitor_start", group=settings.app_id, topic=settings.topic_readings)
    try:
        watcher.run(stop)
    finally:
        watcher.close()
        log_event(logger, "monitor_stop", group=settings.app_id)


def status(
    sample: Annotated[
        float, typer.Option(help="Seconds between the two readings for rates.")
    ] = 2.0,
) -> None:
    """One screen: lag per partition, reading and dead-letter rates, open alerts."""
    from rich.console import Console

    from floodcast.monitoring import Monitor, MonitoringError
    from floodcast.monitoring.alerts.alert_engine import read_open_alerts
    from floodcast.monitoring.status_screen import render_status
    from schemas.settings import get_settings
    from stream_app.kafka import security_config

    settings = get_settings()
    watcher = Monitor(settings, [])
    try:
        first = watcher.poll()
        time.sleep(sample)
        second = watcher.poll()
        alerts = read_open_alerts(
            settings.bootstrap_servers, settings.topic_alerts, security=security_config(settings)
        )
    except MonitoringError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        watcher.close()
    Console().print(render_status(settings.app_id, first, second, alerts))


def register(app: typer.Typer) -> None:
    """Attach the ``monitor`` and ``status`` commands to ``app``."""
    app.command("monitor")(monitor)
    app.command("status")(status)

"""Run the stream worker in this process until SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import logging.config

import faust

from converters.model_package import load_package
from floodcast.settings import Settings
from stream_app.app import create_app
from stream_app.json_logging import log_event, logging_config
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = ["run_worker"]

logger = logging.getLogger("stream_app")


def run_worker(settings: Settings) -> None:
    """Load and verify the model package, then run the Faust worker (blocks; exits the process).

    Logs are JSON objects on stderr, one per line.

    Args:
        settings: the worker's configuration.

    Raises:
        PackageError: the model package is missing, altered or unreadable.
    """
    logging.config.dictConfig(logging_config(settings.log_level))
    package = load_package(settings.model_path)
    scorer = FloodPathScorer(package)
    # imported here: monitoring imports stream_app modules itself
    from monitoring.worker_monitoring import WorkerMonitoring

    monitoring = WorkerMonitoring(settings, scorer.identity)
    app = create_app(settings, scorer, on_batch=monitoring.observe_batch)
    monitoring.attach(app)
    log_event(
        logger,
        "worker_start",
        app_id=settings.app_id,
        bootstrap=settings.bootstrap_servers,
        readings_topic=settings.topic_readings,
        model=scorer.identity.name,
        model_version=scorer.identity.version,
        model_sha256=scorer.identity.sha256,
        basins=sorted(scorer.geometries),
    )
    worker = faust.Worker(
        app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level),
        quiet=True,
        redirect_stdouts=False,
    )
    monitoring.start()
    try:
        worker.execute_from_commandline()
    finally:
        monitoring.stop()
        log_event(logger, "worker_stop", app_id=settings.app_id)

"""Run the stream worker in this process until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import logging.config

import faust
import mode.loop

from converters.releases import active_package_path, load_verified_package
from schemas.settings import Settings
from stream_app.app import create_app, worker_data_dir
from stream_app.changelog_topics import ensure_changelog_topics
from stream_app.json_logging import log_event, logging_config
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = ["run_worker"]

logger = logging.getLogger("stream_app")


def run_worker(settings: Settings) -> None:
    """Load and verify the model package, then run the Faust worker (blocks; exits the process).

    The package is the active release when ``model_active_pointer`` names one, else
    ``model_path``; its signature is checked too when ``model_hmac_key`` is set. The worker
    then follows the pointer and swaps to each newly promoted release between micro-batches.
    Logs are JSON objects on stderr, one per line.

    Args:
        settings: the worker's configuration.

    Raises:
        PackageError: the model package is missing, altered, unsigned (with a key set) or
            unreadable.
        WorkerStartError: the tables' changelog topics could not be created.
    """
    logging.config.dictConfig(logging_config(settings.log_level))
    # before Faust creates its loop: uvloop cut the worker's CPU per reading by about a tenth
    mode.loop.use(settings.worker_event_loop)
    key = settings.model_hmac_key
    package = load_verified_package(
        active_package_path(settings.model_active_pointer, settings.model_path),
        key.get_secret_value().encode() if key is not None else None,
    )
    scorer = FloodPathScorer(package)
    # imported here: monitoring imports stream_app modules itself
    from floodcast.monitoring.worker_monitoring import WorkerMonitoring

    monitoring = WorkerMonitoring(settings, scorer.identity)
    app = create_app(
        settings, scorer, on_batch=monitoring.observe_batch, on_model=monitoring.observe_model
    )
    monitoring.attach(app)
    ensure_changelog_topics(settings)
    # owner-only, like the broker's data and the secrets beside it
    faust_root = worker_data_dir(settings).parent
    faust_root.mkdir(mode=0o700, parents=True, exist_ok=True)
    faust_root.chmod(0o700)
    log_event(
        logger,
        "worker_start",
        app_id=settings.app_id,
        bootstrap=settings.bootstrap_servers,
        readings_topic=settings.topic_readings,
        model=scorer.identity.name,
        model_version=scorer.identity.version,
        model_sha256=scorer.identity.sha256,
        model_package=str(package.path),
        basins=sorted(scorer.geometries),
        event_loop=type(asyncio.get_event_loop_policy()).__module__.partition(".")[0],
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

"""Run the stream worker in this process until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import gc
import logging
import logging.config
from collections.abc import Callable, Sequence
from typing import Protocol

import faust
import mode.loop
from faust.types import EventT

from converters.releases import load_active_package
from schemas.settings import Settings
from stream_app.app import create_app, worker_data_dir
from stream_app.blas_threads import single_threaded_blas
from stream_app.changelog_topics import ensure_changelog_topics
from stream_app.json_logging import log_event, logging_config
from stream_app.malloc_arenas import limit_malloc_arenas
from stream_app.processing.batch_records import BatchResult
from stream_app.scoring.flood_scorer import FloodPathScorer, ModelIdentity
from stream_app.stop_watchdog import GracefulWorker

__all__ = ["ObserverFactory", "WorkerObserver", "run_worker"]


class WorkerObserver(Protocol):
    """Watches a running worker (metrics, lag and alert monitors), as faust's sensors do.

    The worker never imports its observers: the command that starts it plugs them in.
    """

    def observe_batch(self, events: Sequence[EventT], result: BatchResult, seconds: float) -> None:
        """Called after each processed micro-batch."""

    def observe_model(self, model: ModelIdentity) -> None:
        """Called after the model was swapped for a newly promoted release."""

    def attach(self, app: faust.App) -> None:
        """Register timers or pages on the app before it starts."""

    def start(self) -> None:
        """Start any background work (before the worker runs)."""

    def stop(self) -> None:
        """Stop it (after the worker ended)."""


ObserverFactory = Callable[[Settings, ModelIdentity], WorkerObserver]
"""``factory(settings, model identity) -> observer``, called once the model is loaded."""

logger = logging.getLogger("stream_app")


def run_worker(settings: Settings, observer_factory: ObserverFactory | None = None) -> None:
    """Load and verify the model package, then run the Faust worker (blocks; exits the process).

    The package is the active release when ``model_active_pointer`` names one, else
    ``model_path``; its signature is checked too when ``model_hmac_key`` is set. The worker
    then follows the pointer and swaps to each newly promoted release between micro-batches.
    Logs are JSON objects on stderr, one per line.

    Args:
        settings: the worker's configuration.
        observer_factory: builds the observer of this worker (``floodcast worker`` plugs in
            metrics and the monitor); ``None`` runs it unobserved.

    Raises:
        PackageError: the model package is missing, altered, unsigned (with a key set) or
            unreadable.
        WorkerStartError: the tables' changelog topics could not be created.
    """
    limit_malloc_arenas()  # before any thread of the worker allocates
    logging.config.dictConfig(logging_config(settings.log_level))
    # before Faust creates its loop: uvloop cut the worker's CPU per reading by about a tenth
    mode.loop.use(settings.worker_event_loop)
    package = load_active_package(
        settings.model_active_pointer, settings.model_path, settings.model_signing_key
    )
    scorer = FloodPathScorer(package)
    single_threaded_blas()  # the model and features are loaded: their BLAS is too
    observer = observer_factory(settings, scorer.identity) if observer_factory else None
    app = create_app(
        settings,
        scorer,
        on_batch=observer.observe_batch if observer else None,
        on_model=observer.observe_model if observer else None,
    )
    if observer is not None:
        observer.attach(app)
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
    worker = GracefulWorker(
        app,
        stop_grace_seconds=settings.worker_stop_grace_seconds,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level),
        quiet=True,
        redirect_stdouts=False,
    )
    if observer is not None:
        observer.start()
    # what start-up allocated (faust, pydantic, numpy, the model) lives as long as the
    # process: kept out of the garbage collector's full passes, which stall the event loop
    gc.freeze()
    try:
        worker.execute_from_commandline()
    finally:
        if observer is not None:
            observer.stop()
        log_event(logger, "worker_stop", app_id=settings.app_id)

"""Hot model reload: the batch processor in use, swapped when a new release is promoted."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from converters.model_package import ModelPackage
from converters.releases import ReleaseWatch
from stream_app.json_logging import log_event
from stream_app.processing import BatchProcessor
from stream_app.scoring.flood_scorer import FloodPathScorer, ModelIdentity

__all__ = ["ModelObserver", "ModelWatcher", "load_promoted_release", "log_model_reloaded"]

logger = logging.getLogger("stream_app")

ModelObserver = Callable[[ModelIdentity], None]
"""``on_model(identity)`` after the worker switched to another model (metrics)."""


async def load_promoted_release(
    watch: ReleaseWatch, log: logging.Logger, current_sha256: str
) -> tuple[ModelPackage, FloodPathScorer] | None:
    """Poll ``watch`` and build the new release's scorer in a thread, off the event loop.

    Returns:
        The newly promoted package and its scorer, or None when nothing new was promoted or
        the release was refused: a package that fails verification or does not load is
        logged as ``model_refused`` and the current model keeps serving.
    """

    def load() -> tuple[ModelPackage, FloodPathScorer] | None:
        package = watch.poll()
        return None if package is None else (package, FloodPathScorer(package))

    try:
        return await asyncio.get_running_loop().run_in_executor(None, load)
    except Exception as exc:  # any refused package: the current model keeps serving
        log_event(
            log,
            "model_refused",
            logging.ERROR,
            pointer=str(watch.pointer),
            error=f"{type(exc).__name__}: {exc}",
            model_sha256=current_sha256,
        )
        return None


def log_model_reloaded(
    log: logging.Logger,
    current: ModelIdentity,
    previous_version: str,
    previous_sha256: str,
    **details: object,
) -> None:
    """The ``model_reloaded`` event, the same for the worker and the API."""
    log_event(
        log,
        "model_reloaded",
        model=current.name,
        model_version=current.version,
        model_sha256=current.sha256,
        previous_version=previous_version,
        previous_sha256=previous_sha256,
        **details,
    )


class ModelWatcher:
    """Holds the processor the agent uses, and replaces it when the active release changes.

    The agent reads :attr:`processor` once at the start of each micro-batch and uses that one
    for the whole batch, and :meth:`check` replaces it on the event loop: a batch is scored by
    one model from its first record to its last, and the next batch by the new one. The
    accounting does not depend on the model, so no reading is lost or counted twice.

    Args:
        processor: the processor of the model loaded at start.
        watch: the active-release pointer to follow; None = never reload.
        on_model: called with the new model's identity after each swap.
    """

    def __init__(
        self,
        processor: BatchProcessor,
        watch: ReleaseWatch | None = None,
        on_model: ModelObserver | None = None,
    ) -> None:
        self.processor = processor
        self.watch = watch
        self.on_model = on_model

    @property
    def identity(self) -> ModelIdentity:
        """The model in use."""
        return self.processor.scorer.identity

    async def check(self) -> bool:
        """Load a newly promoted release off the event loop, then swap to it.

        A release that fails verification or does not load is refused (logged as
        ``model_refused``) and the current model keeps serving.

        Returns:
            Whether the model was swapped.
        """
        if self.watch is None:
            return False
        loaded = await load_promoted_release(self.watch, logger, self.identity.sha256)
        if loaded is None:
            return False
        self.swap(loaded[1])
        return True

    def swap(self, scorer: FloodPathScorer) -> None:
        """Make ``scorer`` the model of every batch that starts from now on."""
        previous = self.identity
        current = self.processor
        self.processor = BatchProcessor(scorer, current.config, current.clock)
        identity = scorer.identity
        log_model_reloaded(
            logger, identity, previous.version, previous.sha256, basins=sorted(scorer.geometries)
        )
        if self.on_model is not None:
            self.on_model(identity)

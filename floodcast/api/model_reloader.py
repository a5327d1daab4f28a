"""Hot model reload for the API: follow the active-release pointer and swap the model."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from converters.releases import ReleaseWatch
from floodcast.api.resources import ModelInfo
from floodcast.api.services import ApiServices
from floodcast.api.window_predictor import WindowPredictor
from stream_app.model_watcher import load_promoted_release, log_model_reloaded
from stream_app.processing import ProcessorConfig

__all__ = ["ModelReloader"]

logger = logging.getLogger("api")


class ModelReloader:
    """Polls the pointer while the app runs; a new release replaces the services' model.

    A request reads the scorer, predictor and model info from the services once, so it is
    answered by one model; the swap replaces the three together on the event loop.

    Args:
        services: the API's services, whose model is replaced.
        watch: the active-release pointer to follow.
        config: the stream's processor settings, for the new predictor.
        interval: seconds between polls.
    """

    def __init__(
        self, services: ApiServices, watch: ReleaseWatch, config: ProcessorConfig, interval: float
    ) -> None:
        self.services = services
        self.watch = watch
        self.config = config
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start polling on the running event loop."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="model-reloader")

    async def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def check(self) -> bool:
        """Load a newly promoted release in a thread, then swap to it.

        A release that fails verification or does not load is refused (logged as
        ``model_refused``) and the current model keeps answering.

        Returns:
            Whether the model was swapped.
        """
        loaded = await load_promoted_release(self.watch, logger, self.services.model_info.sha256)
        if loaded is None:
            return False
        package, scorer = loaded
        api = self.services
        previous = api.model_info
        api.scorer = scorer
        api.predictor = WindowPredictor(scorer, self.config)
        api.model_info = ModelInfo.from_manifest(
            package.manifest, signed=self.watch.key is not None
        )
        identity = scorer.identity
        api.metrics.set_model(identity.name, identity.version, identity.sha256)
        log_model_reloaded(logger, identity, previous.version, previous.sha256)
        return True

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.check()

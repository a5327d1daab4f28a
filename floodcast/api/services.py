"""Everything the API's handlers use, built once per app, and the model's hot reload."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from converters.releases import ReleaseWatch
from floodcast.api.api_metrics import ApiMetrics
from floodcast.api.latest_predictions import LatestPredictions, PredictionsFollower
from floodcast.api.prediction.prediction_slots import PredictionSlots
from floodcast.api.resources import ModelInfo
from floodcast.api.security.api_key_store import ApiKeyStore
from floodcast.api.security.auth_failures import AuthFailureLimiter
from floodcast.api.security.token_bucket import RateLimiter
from floodcast.api.web.live_hub import LiveHub
from floodcast.api.web.topic_feed import TopicFeed
from floodcast.api.window_predictor import WindowPredictor
from stream_app.model_watcher import load_promoted_release, log_model_reloaded
from stream_app.processing import ProcessorConfig
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = ["ApiServices", "ModelReloader"]


@dataclass
class ApiServices:
    """The model, the key store, the limiter, the latest predictions and the metrics.

    Attributes:
        scorer: the deployed model.
        predictor: ``POST /v1/predict``'s path through the stream's processor.
        model_info: what ``GET /v1/model`` answers.
        keys: the API key store.
        rate_limiter: per-key token buckets.
        latest: latest prediction per basin.
        follower: keeps ``latest`` from the topic; None = not followed (readiness ignores it).
        max_body_bytes: largest request body.
        metrics: Prometheus metrics.
        reloader: swaps in newly promoted releases while the app runs; None = no reload.
        live: what the operator page shows live (paths, alerts, gauge activity).
        feeds: followers of ``ops-alerts`` and the readings that feed ``live``.
        reading_limiter: per-key token buckets of readings sent to ``/v1/predict``.
        auth_failures: budgets of failed authentications per client and overall.
        prediction_slots: the threads ``/v1/predict`` computes in, bounded.
        docs_enabled: serve ``/openapi.json``.
    """

    scorer: FloodPathScorer
    predictor: WindowPredictor
    model_info: ModelInfo
    keys: ApiKeyStore
    rate_limiter: RateLimiter
    latest: LatestPredictions
    follower: PredictionsFollower | None = None
    max_body_bytes: int = 1_048_576
    metrics: ApiMetrics = field(default_factory=ApiMetrics)
    reloader: ModelReloader | None = None
    live: LiveHub = field(default_factory=LiveHub)
    feeds: tuple[TopicFeed, ...] = ()
    reading_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(2000.0, 20_000))
    auth_failures: AuthFailureLimiter = field(
        default_factory=lambda: AuthFailureLimiter(RateLimiter(0.2, 10), RateLimiter(5.0, 100))
    )
    prediction_slots: PredictionSlots = field(default_factory=lambda: PredictionSlots(2))
    docs_enabled: bool = False

    def readiness(self) -> dict[str, bool]:
        """Each condition of readiness: the model is loaded, the predictions are caught up."""
        return {
            "model_loaded": self.scorer is not None,
            "predictions_caught_up": self.follower is None or self.follower.caught_up,
        }


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

"""Everything the API's handlers use, built once per app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from floodcast.api.api_metrics import ApiMetrics
from floodcast.api.latest_predictions import LatestPredictions, PredictionsFollower
from floodcast.api.resources import ModelInfo
from floodcast.api.security.api_key_store import ApiKeyStore
from floodcast.api.security.token_bucket import RateLimiter
from floodcast.api.web.live_hub import LiveHub
from floodcast.api.web.topic_feed import TopicFeed
from floodcast.api.window_predictor import WindowPredictor
from stream_app.scoring.flood_scorer import FloodPathScorer

if TYPE_CHECKING:
    from floodcast.api.model_reloader import ModelReloader

__all__ = ["ApiServices"]


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

    def readiness(self) -> dict[str, bool]:
        """Each condition of readiness: the model is loaded, the predictions are caught up."""
        return {
            "model_loaded": self.scorer is not None,
            "predictions_caught_up": self.follower is None or self.follower.caught_up,
        }

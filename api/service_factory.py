"""Build the API's services from Floodcast's settings."""

from __future__ import annotations

from api.api_metrics import ApiMetrics
from api.latest.latest_predictions import LatestPredictions
from api.latest.predictions_follower import PredictionsFollower
from api.prediction.window_predictor import WindowPredictor
from api.resources.model_info import ModelInfo
from api.security.api_key_store import ApiKeyStore
from api.security.token_bucket import RateLimiter
from api.services import ApiServices
from converters.model_package import load_package
from converters.package_signature import load_signed_package
from floodcast.settings import Settings
from stream_app.processing import ProcessorConfig
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = ["build_services"]


def build_services(settings: Settings, *, follow_predictions: bool | None = None) -> ApiServices:
    """Load the model (signature first when a key is set) and wire the API's parts.

    Args:
        settings: Floodcast's settings.
        follow_predictions: override ``settings.api_follow_predictions``.

    Raises:
        PackageError: the model package is missing, altered, unsigned (with a key set) or
            unreadable.
    """
    key = settings.model_hmac_key
    if key is not None:
        package = load_signed_package(settings.model_path, key.get_secret_value().encode())
    else:
        package = load_package(settings.model_path)
    scorer = FloodPathScorer(package)
    metrics = ApiMetrics()
    identity = scorer.identity
    metrics.set_model(identity.name, identity.version, identity.sha256)
    latest = LatestPredictions()
    follow = settings.api_follow_predictions if follow_predictions is None else follow_predictions
    follower = (
        PredictionsFollower(
            settings.bootstrap_servers,
            settings.topic_predictions,
            latest,
            on_prediction=lambda _: metrics.predictions_followed.inc(),
            on_bad_message=metrics.bad_predictions.inc,
        )
        if follow
        else None
    )
    return ApiServices(
        scorer=scorer,
        predictor=WindowPredictor(scorer, ProcessorConfig.from_settings(settings)),
        model_info=ModelInfo.from_manifest(package.manifest, signed=key is not None),
        keys=ApiKeyStore(settings.api_key_store_path),
        rate_limiter=RateLimiter(settings.api_rate_per_second, settings.api_rate_burst),
        latest=latest,
        follower=follower,
        max_body_bytes=settings.api_max_body_bytes,
        metrics=metrics,
    )

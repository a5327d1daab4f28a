"""Build the API's services from Floodcast's settings."""

from __future__ import annotations

from converters.releases import ReleaseWatch, load_active_package
from floodcast.api.api_metrics import ApiMetrics
from floodcast.api.latest_predictions import LatestPredictions, PredictionsFollower
from floodcast.api.prediction.prediction_slots import PredictionSlots
from floodcast.api.resources import ModelInfo
from floodcast.api.security.api_key_store import ApiKeyStore
from floodcast.api.security.auth_failures import AuthFailureLimiter
from floodcast.api.security.token_bucket import RateLimiter
from floodcast.api.services import ApiServices, ModelReloader
from floodcast.api.web.live_feeds import live_feeds, live_hub
from floodcast.api.window_predictor import WindowPredictor
from floodcast.monitoring.accuracy.package_reaches import package_gauges
from schemas import FloodPathPrediction
from schemas.settings import Settings
from stream_app.kafka import security_config
from stream_app.processing import ProcessorConfig
from stream_app.scoring.flood_scorer import FloodPathScorer

__all__ = ["build_services"]


def build_services(settings: Settings, *, follow_predictions: bool | None = None) -> ApiServices:
    """Load the model (signature first when a key is set) and wire the API's parts.

    The model is the active release when ``model_active_pointer`` names one (the API then
    follows the pointer and swaps to each newly promoted release), else ``model_path``.

    Args:
        settings: Floodcast's settings.
        follow_predictions: override ``settings.api_follow_predictions`` (the operator page's
            feeds of alerts and readings run with the follower).

    Raises:
        PackageError: the model package is missing, altered, unsigned (with a key set) or
            unreadable.
    """
    secret = settings.model_signing_key
    pointer = settings.model_active_pointer
    package = load_active_package(pointer, settings.model_path, secret)
    scorer = FloodPathScorer(package)
    config = ProcessorConfig.from_settings(settings)
    metrics = ApiMetrics()
    identity = scorer.identity
    metrics.set_model(identity.name, identity.version, identity.sha256)
    latest = LatestPredictions()
    hub = live_hub(settings, package_gauges(package.basins))

    def on_prediction(prediction: FloodPathPrediction) -> None:
        metrics.predictions_followed.inc()
        hub.add_prediction(prediction)

    follow = settings.api_follow_predictions if follow_predictions is None else follow_predictions
    follower = (
        PredictionsFollower(
            settings.bootstrap_servers,
            settings.topic_predictions,
            latest,
            client_config=security_config(settings),
            on_prediction=on_prediction,
            on_bad_message=metrics.bad_predictions.inc,
        )
        if follow
        else None
    )
    services = ApiServices(
        scorer=scorer,
        predictor=WindowPredictor(scorer, config),
        model_info=ModelInfo.from_manifest(package.manifest, signed=secret is not None),
        keys=ApiKeyStore(settings.api_key_store_path),
        rate_limiter=RateLimiter(settings.api_rate_per_second, settings.api_rate_burst),
        latest=latest,
        follower=follower,
        max_body_bytes=settings.api_max_body_bytes,
        metrics=metrics,
        live=hub,
        feeds=live_feeds(settings, hub) if follow else (),
        reading_limiter=RateLimiter(settings.api_readings_per_second, settings.api_readings_burst),
        auth_failures=AuthFailureLimiter(
            RateLimiter(settings.api_auth_failures_per_second, settings.api_auth_failure_burst),
            RateLimiter(
                settings.api_auth_failures_global_per_second,
                settings.api_auth_failure_global_burst,
            ),
        ),
        prediction_slots=PredictionSlots(settings.api_predict_concurrency),
        docs_enabled=settings.api_docs_enabled,
    )
    if pointer is not None:
        watch = ReleaseWatch(pointer, secret, identity.sha256)
        services.reloader = ModelReloader(services, watch, config, settings.model_watch_seconds)
    return services

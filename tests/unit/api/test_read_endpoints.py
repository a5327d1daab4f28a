"""Basins, latest flood paths, the model, readiness, metrics and the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from converters.features import FEATURE_NAMES
from floodcast.api import ApiServices, create_app
from schemas import FloodPathPrediction, ModelRef, PathSummary
from tests.unit.api.conftest import Keys


def _prediction(services: ApiServices, watermark: datetime) -> FloodPathPrediction:
    identity = services.scorer.identity
    return FloodPathPrediction(
        basin_id="toy",
        issued_at=watermark + timedelta(seconds=5),
        watermark=watermark,
        model=ModelRef(name=identity.name, version=identity.version, sha256=identity.sha256),
        horizon_hours=6,
        threshold=0.5,
        summary=PathSummary.from_reaches(()),
        readings_used=3,
    )


def test_latest_flood_path_keeps_the_newest(
    client: TestClient, services: ApiServices, keys: Keys
) -> None:
    """The endpoint answers the prediction with the latest watermark, whatever the order seen."""
    newer = _prediction(services, datetime(2026, 1, 1, 12, tzinfo=UTC))
    older = _prediction(services, datetime(2026, 1, 1, 11, tzinfo=UTC))
    assert services.latest.offer(newer)
    assert not services.latest.offer(older)
    response = client.get("/v1/basins/toy/flood-path", headers=keys.reader)
    assert response.status_code == 200
    assert FloodPathPrediction.model_validate_json(response.content) == newer
    basins = client.get("/v1/basins", headers=keys.reader).json()
    assert basins == [
        {
            "basin_id": "toy",
            "reach_ids": ["A", "B", "C", "D"],
            "gauge_ids": ["toy-G1", "toy-G2", "toy-G3"],
            "latest_watermark": "2026-01-01T12:00:00Z",
        }
    ]


def test_no_prediction_yet_is_404(client: TestClient, keys: Keys) -> None:
    """A served basin without any prediction seen is a distinct 404 problem."""
    response = client.get("/v1/basins/toy/flood-path", headers=keys.reader)
    assert response.status_code == 404
    assert response.json()["type"] == "urn:floodcast:problem:no-prediction-yet"


def test_model_describes_the_package(client: TestClient, services: ApiServices, keys: Keys) -> None:
    """``/v1/model`` names the loaded package and its model digest."""
    body = client.get("/v1/model", headers=keys.reader).json()
    assert (body["name"], body["version"]) == ("floodcast-toy", "0.0.1")
    assert body["sha256"] == services.scorer.identity.sha256
    assert body["signed"] is False
    assert tuple(body["features"]) == FEATURE_NAMES


def test_readiness_waits_for_the_follower(client: TestClient, services: ApiServices) -> None:
    """``/readyz`` is 503 while the predictions topic is not caught up, 200 after."""

    class Follower:
        caught_up = False

        def stop(self) -> None:
            """Nothing to stop: this stand-in never started."""

    services.follower = Follower()  # type: ignore[assignment]
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "predictions_caught_up" in response.json()["detail"]
    Follower.caught_up = True
    assert client.get("/readyz").status_code == 200


def test_metrics_count_requests_by_route(client: TestClient, keys: Keys) -> None:
    """Requests are counted under their route template, and the active model is exported."""
    client.get("/v1/basins/nowhere/flood-path", headers=keys.reader)
    text = client.get("/metrics", headers=keys.admin).text
    assert (
        'floodcast_api_requests_total{method="GET",route="/v1/basins/{basin_id}/flood-path",'
        'status="404"} 1.0'
    ) in text
    assert 'floodcast_api_model_info{name="floodcast-toy"' in text


def test_openapi_documents_the_predict_body(services: ApiServices) -> None:
    """The published OpenAPI (docs enabled) names the request body and problems of predict."""
    services.docs_enabled = True
    with TestClient(create_app(services)) as client:
        document = client.get("/openapi.json").json()
    predict = document["paths"]["/v1/predict"]["post"]
    schema = predict["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/PredictRequest"}
    assert "GaugeReading" in document["components"]["schemas"]
    assert {"401", "403", "404", "413", "422", "429"} <= set(predict["responses"])
    assert "application/problem+json" in predict["responses"]["422"]["content"]

"""``POST /v1/predict`` answers what the stream's own processor makes of the same readings."""

from __future__ import annotations

import dataclasses
import json

from fastapi.testclient import TestClient

from floodcast.api import ApiServices
from schemas import FloodPathPrediction
from stream_app.processing import BatchProcessor, ProcessorConfig, SourceRecord
from tests.unit.api.conftest import Keys
from tests.unit.api.windows import window


def _stream_prediction(services: ApiServices, body: dict) -> FloodPathPrediction:
    """The worker's processor over the same readings, one record each, with cadence 0."""
    processor = BatchProcessor(
        services.scorer, dataclasses.replace(ProcessorConfig(), cadence_seconds=0)
    )
    records = [
        SourceRecord("gauge-readings", 0, offset, b"toy", json.dumps(reading).encode())
        for offset, reading in enumerate(body["readings"])
    ]
    result = processor.process(records, lambda _: None, lambda _: None)
    return result.predictions[-1]


def test_prediction_matches_the_stream_processor(
    client: TestClient, services: ApiServices, keys: Keys
) -> None:
    """The API's path, probabilities and watermark equal the stream's after the same readings."""
    body = window(range(40))
    response = client.post("/v1/predict", json=body, headers=keys.predictor)
    assert response.status_code == 200, response.text
    answered = FloodPathPrediction.model_validate_json(response.content)
    expected = _stream_prediction(services, body)
    assert answered.reaches  # the storm floods something, so the comparison has content
    assert answered.reaches == expected.reaches
    assert answered.watermark == expected.watermark
    assert answered.readings_used == expected.readings_used
    assert answered.model.sha256 == services.scorer.identity.sha256


def test_dry_window_is_all_clear(client: TestClient, keys: Keys) -> None:
    """A day without rain gives the all-clear, watermarked at the end of the last slot."""
    response = client.post(
        "/v1/predict", json=window(range(96), rain=lambda _: 0.0), headers=keys.predictor
    )
    assert response.status_code == 200, response.text
    answered = FloodPathPrediction.model_validate_json(response.content)
    assert answered.all_clear
    assert answered.watermark.isoformat() == "2026-01-02T00:00:00+00:00"


def test_reading_order_does_not_matter(client: TestClient, keys: Keys) -> None:
    """Shuffled readings give the same path as ordered ones (slots close after the batch)."""
    body = window(range(40))
    ordered = client.post("/v1/predict", json=body, headers=keys.predictor).json()
    body["readings"].reverse()
    shuffled = client.post("/v1/predict", json=body, headers=keys.predictor).json()
    assert shuffled["reaches"] == ordered["reaches"]
    assert shuffled["watermark"] == ordered["watermark"]

"""Errors are RFC 9457 problems: 404 unknown basin, 413 oversize body, 422 with field errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from floodcast.api.problem import PROBLEM_MEDIA_TYPE
from tests.unit.api.conftest import Keys
from tests.unit.api.windows import reading, window


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert body["status"] == status
    return body


def test_unknown_basin_flood_path_is_404(client: TestClient, keys: Keys) -> None:
    """A basin the model does not serve is a 404 unknown-basin problem."""
    body = _problem(client.get("/v1/basins/nowhere/flood-path", headers=keys.reader), 404)
    assert body["type"] == "urn:floodcast:problem:unknown-basin"
    assert body["instance"] == "/v1/basins/nowhere/flood-path"


def test_unknown_basin_predict_is_404(client: TestClient, keys: Keys) -> None:
    """Predicting for a basin the model does not serve is a 404 too."""
    body = window(range(4))
    body["basin_id"] = "nowhere"
    for item in body["readings"]:
        item["basin_id"] = "nowhere"
    problem = _problem(client.post("/v1/predict", json=body, headers=keys.predictor), 404)
    assert problem["type"] == "urn:floodcast:problem:unknown-basin"


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    """Even Starlette's own 404 comes as problem+json."""
    assert _problem(client.get("/v2/nothing"), 404)["type"] == "about:blank"


def test_oversize_declared_body_is_413(client: TestClient, keys: Keys) -> None:
    """A Content-Length over the limit is refused before the body is read."""
    problem = _problem(
        client.post("/v1/predict", content=b"[" * 70_000, headers=keys.predictor), 413
    )
    assert problem["type"] == "urn:floodcast:problem:payload-too-large"


def test_oversize_streamed_body_is_413(client: TestClient, keys: Keys) -> None:
    """A chunked body without Content-Length is cut off once it passes the limit."""

    def chunks():
        for _ in range(20):
            yield b" " * 8192

    _problem(client.post("/v1/predict", content=chunks(), headers=keys.predictor), 413)


def test_invalid_reading_is_422_with_field_errors(client: TestClient, keys: Keys) -> None:
    """Schema violations name each bad field under ``errors``."""
    body = window(range(4))
    body["readings"][2] = reading("toy-G3", 0, rain=-1.0, quality="odd")
    problem = _problem(client.post("/v1/predict", json=body, headers=keys.predictor), 422)
    locs = {error["loc"] for error in problem["errors"]}
    assert locs == {"body.readings.2.rainfall_mm", "body.readings.2.quality"}


def test_malformed_json_is_422(client: TestClient, keys: Keys) -> None:
    """A body that is not JSON is a 422 with a json_invalid field error."""
    problem = _problem(client.post("/v1/predict", content=b"{nope", headers=keys.predictor), 422)
    assert problem["errors"][0]["type"] == "json_invalid"


def test_reading_of_another_basin_or_gauge_is_422(client: TestClient, keys: Keys) -> None:
    """Readings must be of the request's basin and of its gauges."""
    body = window(range(4))
    body["readings"][0]["basin_id"] = "other"
    body["readings"][5]["gauge_id"] = "toy-G9"
    problem = _problem(client.post("/v1/predict", json=body, headers=keys.predictor), 422)
    assert [(e["loc"], e["type"]) for e in problem["errors"]] == [
        ("body.readings.0.basin_id", "basin_mismatch"),
        ("body.readings.5.gauge_id", "unknown_gauge"),
    ]


def test_overlong_window_is_422(client: TestClient, keys: Keys) -> None:
    """Readings spanning more than a week are refused (it bounds the work a request makes)."""
    body = {"basin_id": "toy", "readings": [reading("toy-G1", 0), reading("toy-G1", 700)]}
    problem = _problem(client.post("/v1/predict", json=body, headers=keys.predictor), 422)
    assert problem["errors"][0]["type"] == "window_too_long"


def test_window_closing_no_slot_is_422(client: TestClient, keys: Keys) -> None:
    """A single 5-minute reading ending mid-slot closes no slot, so there is nothing to answer."""
    body = {"basin_id": "toy", "readings": [reading("toy-G1", 0, interval_minutes=5)]}
    body["readings"][0]["observed_at"] = "2026-01-01T00:05:00+00:00"
    problem = _problem(client.post("/v1/predict", json=body, headers=keys.predictor), 422)
    assert "no 15-minute slot" in problem["detail"]


def test_invalid_path_parameter_is_422(client: TestClient, keys: Keys) -> None:
    """A basin id outside the identifier pattern is a 422 naming the path parameter."""
    problem = _problem(client.get("/v1/basins/a%20b/flood-path", headers=keys.reader), 422)
    assert problem["errors"][0]["loc"] == "path.basin_id"

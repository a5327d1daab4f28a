"""Issue 12: ``/v1/predict`` answers any body with a 4xx, never a 500, and the predictions
follower takes any message on its topic without stopping."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from confluent_kafka import Message
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floodcast.api.latest_predictions import LatestPredictions, PredictionsFollower
from schemas import FloodPathPrediction
from tests.helpers import hostile
from tests.unit.api.conftest import Keys
from tests.unit.api.windows import T0, TOY_GAUGES, reading, window

EXAMPLES = 200

READINGS = hostile.readings("toy", TOY_GAUGES, T0 + timedelta(hours=10))
BODIES = st.one_of(
    st.builds(
        lambda readings, extra: {
            "basin_id": "toy",
            "readings": window(range(40))["readings"][:extra] + readings,
        },
        st.lists(READINGS, min_size=1, max_size=4),
        st.integers(0, 120),
    ).map(hostile.to_json),
    hostile.any_bytes(),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=BODIES)
def test_predict_answers_any_body_without_a_server_error(
    client: TestClient, keys: Keys, body: bytes
) -> None:
    """Any bytes, JSON of any depth, readings at the limits of their types: a prediction or a
    problem the client can act on."""
    headers = {**keys.predictor, "Content-Type": "application/json"}
    response = client.post("/v1/predict", content=body, headers=headers)
    assert response.status_code in (200, 404, 413, 422), response.text
    if response.status_code == 200:
        FloodPathPrediction.model_validate_json(response.content)
    else:
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "overrides",
    [{"sequence": 2**63}, {"observed_at": "0001-01-01T00:00:00Z"}, {"sequence": 2**63 - 1}],
)
def test_readings_at_the_edge_of_their_types_are_refused_or_scored(
    client: TestClient, keys: Keys, overrides: dict
) -> None:
    """The readings of issue 12 (500 before) are a 422 naming the field; a sequence at the
    64-bit bound is valid and scored."""
    body = window(range(40))
    body["readings"].append(reading("toy-G1", 40, **overrides))
    response = client.post("/v1/predict", content=json.dumps(body), headers=keys.predictor)
    if overrides.get("sequence") == 2**63 - 1:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 422, response.text
        field = next(iter(overrides))
        assert [e["loc"] for e in response.json()["errors"]] == [f"body.readings.120.{field}"]


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(st.lists(st.one_of(st.none(), hostile.any_bytes(hostile.predictions("toy"))), max_size=6))
def test_predictions_follower_takes_any_message(values: list[bytes | None]) -> None:
    """Every message is either offered to the store or counted as bad; none stops the follower."""
    taken: list[FloodPathPrediction] = []
    bad: list[None] = []
    store = LatestPredictions()
    follower = PredictionsFollower(
        "127.0.0.1:9",
        "flood-path-predictions",
        store,
        on_prediction=taken.append,
        on_bad_message=lambda: bad.append(None),
    )
    for offset, value in enumerate(values):
        message = Message(topic="t", partition=0, offset=offset, value=value, timestamp=(1, 0))
        follower._handle_safely(message)
    assert len(taken) + len(bad) == len(values)
    assert len(store) <= 1

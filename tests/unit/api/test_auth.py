"""API keys: 401 without or with a bad key, 403 without the scope, 429 over the rate."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from floodcast.api import ApiServices, create_app
from floodcast.api.security import RateLimiter
from tests.unit.api.conftest import Keys

READ_PATHS = ("/v1/basins", "/v1/model")


@pytest.mark.parametrize("path", READ_PATHS)
def test_missing_key_is_401(client: TestClient, path: str) -> None:
    """No Authorization header: 401 with a Bearer challenge."""
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["type"] == "urn:floodcast:problem:not-authenticated"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer fck_000000000000_not-a-real-secret",
        "Bearer garbage",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_bad_key_is_401(client: TestClient, keys: Keys, header: str) -> None:
    """Unknown keys, malformed keys and other schemes are all 401."""
    assert client.get("/v1/basins", headers={"Authorization": header}).status_code == 401


def test_wrong_secret_of_a_known_key_is_401(client: TestClient, keys: Keys) -> None:
    """A real key id with a changed secret is refused."""
    key = keys.reader["Authorization"]
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert client.get("/v1/basins", headers={"Authorization": tampered}).status_code == 401


def test_revoked_key_is_401(client: TestClient, services: ApiServices, keys: Keys) -> None:
    """A key revoked in the store is refused by the running API from the next request."""
    assert client.get("/v1/basins", headers=keys.reader).status_code == 200
    key_id = keys.reader["Authorization"].removeprefix("Bearer fck_")[:12]
    services.keys.revoke(key_id)
    assert client.get("/v1/basins", headers=keys.reader).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "allowed", "refused"),
    [
        ("GET", "/v1/basins", "reader", "predictor"),
        ("GET", "/v1/model", "reader", "predictor"),
        ("POST", "/v1/predict", "predictor", "reader"),
        ("GET", "/metrics", "admin", "reader"),
    ],
)
def test_scopes(
    client: TestClient, keys: Keys, method: str, path: str, allowed: str, refused: str
) -> None:
    """Each endpoint admits its scope (and admin) and answers 403 to other keys."""
    denied = client.request(method, path, headers=getattr(keys, refused))
    assert denied.status_code == 403
    assert denied.json()["type"] == "urn:floodcast:problem:missing-scope"
    for key in (allowed, "admin"):
        assert client.request(method, path, headers=getattr(keys, key)).status_code != 403


def test_probes_need_no_key(client: TestClient) -> None:
    """Liveness and readiness are open."""
    for path in ("/healthz", "/readyz"):
        assert client.get(path).status_code == 200


def test_rate_limit_is_429_per_key(services: ApiServices, keys: Keys) -> None:
    """A key past its burst gets 429 with Retry-After; another key is unaffected."""
    now = [0.0]
    services.rate_limiter = RateLimiter(rate=1.0, burst=3, clock=lambda: now[0])
    with TestClient(create_app(services)) as client:
        statuses = [client.get("/v1/basins", headers=keys.reader).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/v1/basins", headers=keys.reader)
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["type"] == "urn:floodcast:problem:rate-limited"
        assert client.get("/v1/model", headers=keys.admin).status_code == 200
        now[0] = 1.0  # one token back
        assert client.get("/v1/basins", headers=keys.reader).status_code == 200

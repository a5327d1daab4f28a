"""Issue 13: no metric label chosen by a client; API docs only on demand, with no CDN assets."""

from __future__ import annotations

from fastapi.testclient import TestClient

from floodcast.api import build_services, create_app
from schemas.settings import Settings
from tests.unit.api.conftest import Keys


def _label_values(client: TestClient, keys: Keys, label: str) -> set[str]:
    text = client.get("/metrics", headers=keys.admin).text
    values = set()
    for line in text.splitlines():
        if line.startswith("floodcast_api_requests_total{"):
            labels = dict(
                part.split("=", 1)
                for part in line[line.index("{") + 1 : line.index("}")].split(",")
            )
            values.add(labels[label].strip('"'))
    return values


def test_a_client_cannot_choose_a_metric_label(client: TestClient, keys: Keys) -> None:
    """200 requests with invented HTTP methods make no new request series."""
    for index in range(200):
        client.request(f"M{index}X", "/healthz")
    methods = _label_values(client, keys, "method")
    assert not any(method.startswith("M") and method.endswith("X") for method in methods)
    assert len(methods) <= 3


def test_docs_are_off_by_default(client: TestClient) -> None:
    """Without FLOODCAST_API_DOCS_ENABLED, /docs, /redoc and /openapi.json are not served."""
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404, path


def test_enabled_docs_load_nothing_from_a_third_party(api_settings: Settings) -> None:
    """With docs on, /openapi.json is served and no page points the browser at a CDN."""
    settings = Settings(**{**api_settings.model_dump(), "api_docs_enabled": True})
    with TestClient(create_app(build_services(settings))) as client:
        assert client.get("/openapi.json").json()["info"]["title"] == "Floodcast API"
        for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
            response = client.get(path)
            assert "cdn" not in response.text.lower(), path
            assert "https://" not in response.text, path

"""The API follows the active-release pointer: ``/v1/model`` reports the promoted release."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi.testclient import TestClient

from converters.releases import promote_package
from floodcast.api import build_services, create_app
from schemas.settings import Settings
from tests.helpers.model_releases import write_release


def test_promoted_release_is_served_after_a_check(api_settings: Settings, tmp_path: Path) -> None:
    """Start on 0.0.1 from the pointer; after promoting 0.0.2 and a check, /v1/model, the
    metrics and /v1/predict's scorer report 0.0.2."""
    pointer = tmp_path / "models" / "active.json"
    promote_package(api_settings.model_path, pointer)
    second = write_release(api_settings.model_path, tmp_path / "second", "0.0.2")
    settings = Settings(
        **{**api_settings.model_dump(), "model_active_pointer": pointer, "model_watch_seconds": 60}
    )
    services = build_services(settings)
    assert services.reloader is not None
    key, _ = services.keys.create("reader", ["paths:read", "admin"])
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(services)) as client:
        before = client.get("/v1/model", headers=headers).json()
        active = promote_package(second, pointer)
        assert asyncio.run(services.reloader.check()) is True
        after = client.get("/v1/model", headers=headers).json()
        metrics = client.get("/metrics", headers=headers).text
    assert before["version"] == "0.0.1"
    assert (after["version"], after["sha256"]) == ("0.0.2", active.sha256)
    assert services.scorer.identity.sha256 == active.sha256
    assert f'sha256="{active.sha256}"' in metrics
    assert before["sha256"] not in metrics

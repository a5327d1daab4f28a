"""The operator page and its read endpoints on the toy package."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

from fastapi.testclient import TestClient

from floodcast.api import ApiServices
from floodcast.api.routes.web import STATIC_DIR
from tests.helpers.predictions import empty_path_prediction
from tests.unit.api.conftest import Keys

ROOT = Path(__file__).resolve().parents[4]


def test_page_and_assets_need_no_key_and_no_network(client: TestClient) -> None:
    """``GET /`` and every asset answer without a key, and no asset loads anything from
    another origin (no CDN)."""
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="login-form"' in page.text
    for asset in sorted(STATIC_DIR.iterdir()):
        answer = client.get(f"/web/{asset.name}")
        assert answer.status_code == 200, asset.name
        assert not re.search(r"""(src|href|import|url)\s*[=(]?\s*["']?(https?:)?//""", answer.text)


def test_every_asset_ships_in_the_wheel() -> None:
    """pyproject's package-data names every file of the page, so a wheel carries them."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["floodcast.api.web"]
    package = STATIC_DIR.parent
    for asset in STATIC_DIR.iterdir():
        relative = asset.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative


def test_networks_need_paths_read(client: TestClient, keys: Keys, services: ApiServices) -> None:
    """The networks are refused without a key or with one lacking paths:read, and drawn with
    one segment per reach of the package with one."""
    assert client.get("/v1/networks").status_code == 401
    assert client.get("/v1/networks", headers=keys.predictor).status_code == 403
    answer = client.get("/v1/networks", headers=keys.reader)
    assert answer.status_code == 200
    (toy,) = answer.json()
    assert toy["basin_id"] == "toy"
    assert [r["reach_id"] for r in toy["reaches"]] == list(services.scorer.basins["toy"].reach_ids)


def test_live_stream_needs_paths_read(client: TestClient, keys: Keys) -> None:
    """The event stream is authorised like every other read: 401 without a key, 403 without
    the scope."""
    assert client.get("/v1/live").status_code == 401
    assert client.get("/v1/live", headers=keys.predictor).status_code == 403


def test_history_lists_the_hubs_paths(
    client: TestClient, keys: Keys, services: ApiServices
) -> None:
    """History answers the basin's kept paths, oldest first; an unknown basin is a 404."""
    assert client.get("/v1/basins/toy/history", headers=keys.reader).json() == []
    for hour in (2, 1):
        services.live.add_prediction(empty_path_prediction("toy", hour))
    answer = client.get("/v1/basins/toy/history", headers=keys.reader)
    assert [p["readings_used"] for p in answer.json()] == [1, 2]
    assert client.get("/v1/basins/nowhere/history", headers=keys.reader).status_code == 404

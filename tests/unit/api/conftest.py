"""An API over the toy model package, with a key per scope."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from floodcast.api import ApiServices, build_services, create_app
from schemas.settings import Settings
from tests.unit.stream_app.toy_package import write_toy_package


@dataclass(frozen=True)
class Keys:
    """Bearer headers of keys with one scope each, and of a key with every scope."""

    reader: dict[str, str]
    predictor: dict[str, str]
    admin: dict[str, str]


@pytest.fixture(scope="session")
def toy_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The toy model package (one basin, ``toy``, gauges toy-G1..G3), written once."""
    return write_toy_package(tmp_path_factory.mktemp("api") / "pkg")


@pytest.fixture
def api_settings(tmp_path: Path, toy_package: Path) -> Settings:
    """Settings of an API over the toy package, not following any topic."""
    return Settings(
        model_path=toy_package,
        data_dir=tmp_path / "data",
        api_follow_predictions=False,
        api_rate_per_second=1000.0,
        api_rate_burst=1000,
        api_max_body_bytes=65_536,
    )


@pytest.fixture
def services(api_settings: Settings) -> ApiServices:
    return build_services(api_settings)


@pytest.fixture
def keys(services: ApiServices) -> Keys:
    def bearer(name: str, *scopes: str) -> dict[str, str]:
        key, _ = services.keys.create(name, scopes)  # type: ignore[arg-type]
        return {"Authorization": f"Bearer {key}"}

    return Keys(
        reader=bearer("reader", "paths:read"),
        predictor=bearer("predictor", "predict"),
        admin=bearer("admin", "admin"),
    )


@pytest.fixture
def app(services: ApiServices) -> FastAPI:
    return create_app(services)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client

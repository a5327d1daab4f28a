"""With a signing key set, the API loads only a package signed with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from converters.exceptions import PackageSignatureError
from converters.package_signature import sign_package
from floodcast.api import build_services, create_app
from schemas.settings import Settings

KEY = "k" * 32


def _with_key(settings: Settings, package: Path) -> Settings:
    """``settings`` serving ``package`` with the signing key set (validated, unlike a copy)."""
    return Settings(**{**settings.model_dump(), "model_path": package, "model_hmac_key": KEY})


def test_unsigned_package_is_refused(api_settings: Settings, tmp_path: Path) -> None:
    """A key is set but the package carries no signature: the API does not start."""
    package = tmp_path / "unsigned"
    shutil.copytree(api_settings.model_path, package)
    settings = _with_key(api_settings, package)
    with pytest.raises(PackageSignatureError):
        build_services(settings)


def test_signed_package_is_served_as_signed(api_settings: Settings, tmp_path: Path) -> None:
    """A package signed with the key loads, and ``/v1/model`` says it was checked."""
    package = tmp_path / "signed"
    shutil.copytree(api_settings.model_path, package)
    sign_package(package, KEY.encode())
    services = build_services(_with_key(api_settings, package))
    key, _ = services.keys.create("reader", ["paths:read"])
    with TestClient(create_app(services)) as client:
        body = client.get("/v1/model", headers={"Authorization": f"Bearer {key}"}).json()
    assert body["signed"] is True

"""Issue 13: failed authentications are limited per client and overall; scrypt runs bounded."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

import floodcast.api.security.api_key_store as key_store_module
from floodcast.api import build_services, create_app
from floodcast.api.security.api_key_store import ApiKeyStore
from schemas.settings import Settings


def _settings(api_settings: Settings, **changes: object) -> Settings:
    return Settings(**{**api_settings.model_dump(), **changes})


def _wrong(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key[:-4]}AAAA"}


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Times of every scrypt hash the key store computes."""
    calls: list[float] = []
    real = key_store_module.hash_secret

    def counted(secret: str, salt: bytes) -> str:
        calls.append(time.monotonic())
        return real(secret, salt)

    monkeypatch.setattr(key_store_module, "hash_secret", counted)
    return calls


def test_failures_from_one_client_are_limited(
    api_settings: Settings, scrypt_calls: list[float]
) -> None:
    """After its failure budget a client gets 429 without a scrypt hash; others still get in."""
    services = build_services(
        _settings(api_settings, api_auth_failures_per_second=0.01, api_auth_failure_burst=5)
    )
    key, _ = services.keys.create("reader", ["paths:read"])
    scrypt_calls.clear()  # the key's creation
    app = create_app(services)
    with TestClient(app, client=("203.0.113.7", 4000)) as attacker:
        statuses = [attacker.get("/v1/basins", headers=_wrong(key)).status_code for _ in range(20)]
        assert statuses[:5] == [401] * 5
        assert set(statuses[5:]) == {429}
        assert attacker.get("/v1/basins", headers=_wrong(key)).headers["Retry-After"]
    assert len(scrypt_calls) == 5
    with TestClient(app, client=("198.51.100.2", 4000)) as other:
        good = other.get("/v1/basins", headers={"Authorization": f"Bearer {key}"})
        assert good.status_code == 200


def test_failures_are_limited_overall(api_settings: Settings, scrypt_calls: list[float]) -> None:
    """Failures spread over many clients stop costing scrypt once the global budget is spent."""
    services = build_services(
        _settings(
            api_settings,
            api_auth_failures_per_second=0.01,
            api_auth_failure_burst=2,
            api_auth_failures_global_per_second=0.01,
            api_auth_failure_global_burst=10,
        )
    )
    key, _ = services.keys.create("reader", ["paths:read"])
    scrypt_calls.clear()  # the key's creation
    app = create_app(services)
    statuses = []
    for host in range(30):
        with TestClient(app, client=(f"192.0.2.{host}", 4000)) as client:
            statuses.append(client.get("/v1/basins", headers=_wrong(key)).status_code)
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
    assert len(scrypt_calls) == 10


def test_scrypt_runs_at_most_two_at_a_time(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight threads checking wrong secrets at once never run more than two scrypt hashes."""
    store = ApiKeyStore(tmp_path / "keys" / "store.json")
    key, _ = store.create("reader", ["paths:read"])
    running = peak = 0
    lock = threading.Lock()
    real = key_store_module.hash_secret

    def counted(secret: str, salt: bytes) -> str:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        try:
            return real(secret, salt)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(key_store_module, "hash_secret", counted)
    threads = [
        threading.Thread(target=store.authenticate, args=(f"{key[:-4]}{n:04d}",)) for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= peak <= 2

"""Issue 13: /v1/predict works off the event loop, bounded, and pays rate tokens per reading."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
from fastapi.testclient import TestClient

from floodcast.api import build_services, create_app
from schemas.settings import Settings
from tests.unit.api.asgi_calls import asgi_request
from tests.unit.api.windows import window

WEEK = range(7 * 96)


def _services(api_settings: Settings, **changes: object):
    return build_services(Settings(**{**api_settings.model_dump(), **changes}))


def test_a_big_prediction_does_not_hold_healthz(api_settings: Settings) -> None:
    """While a week of readings is scored, /healthz answers before the prediction does."""
    services = _services(api_settings, api_max_body_bytes=1_048_576)
    key, _ = services.keys.create("predictor", ["predict"])
    services.keys.authenticate(key)  # the key's scrypt check is done, as after a first request
    body = json.dumps(window(WEEK)).encode()
    finished: list[tuple[str, float]] = []
    started = threading.Event()
    real = services.predictor.predict

    def flagged(request):  # type: ignore[no-untyped-def]
        started.set()
        return real(request)

    services.predictor.predict = flagged  # type: ignore[method-assign]

    async def run() -> None:
        app = create_app(services)

        async def predict() -> None:
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            status, answer = await asgi_request(app, "POST", "/v1/predict", body, headers)
            assert status == 200, answer
            finished.append(("predict", time.perf_counter()))

        async def probe() -> None:
            while not started.is_set():  # until the prediction is under way
                await asyncio.sleep(0.001)
            status, _ = await asgi_request(app, "GET", "/healthz")
            assert status == 200
            finished.append(("healthz", time.perf_counter()))

        await asyncio.gather(predict(), probe())

    asyncio.run(run())
    assert [name for name, _ in finished] == ["healthz", "predict"]


def test_rate_tokens_are_charged_per_reading(api_settings: Settings) -> None:
    """A key's reading budget runs out on a few big requests, though its request budget lasts."""
    services = _services(
        api_settings,
        api_max_body_bytes=1_048_576,
        api_readings_per_second=1.0,
        api_readings_burst=10_000,
    )
    key, _ = services.keys.create("predictor", ["predict"])
    headers = {"Authorization": f"Bearer {key}"}
    day = window(range(96))  # 288 readings
    with TestClient(create_app(services)) as client:
        statuses = [
            client.post("/v1/predict", json=day, headers=headers).status_code for _ in range(36)
        ]
    assert statuses[:34] == [200] * 34  # 34 x 288 = 9,792 readings
    assert statuses[-1] == 429


@pytest.mark.parametrize("concurrency", [1, 2])
def test_predictions_run_with_bounded_concurrency(api_settings: Settings, concurrency: int) -> None:
    """No more predictions run at once than FLOODCAST_API_PREDICT_CONCURRENCY allows."""
    services = _services(api_settings, api_predict_concurrency=concurrency)
    key, _ = services.keys.create("predictor", ["predict"])
    services.keys.authenticate(key)  # so that the six requests reach the predictor together
    running = peak = 0
    real = services.predictor.predict

    def counted(request):  # type: ignore[no-untyped-def]
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            time.sleep(0.2)
            return real(request)
        finally:
            running -= 1

    services.predictor.predict = counted  # type: ignore[method-assign]
    body = json.dumps(window(range(8))).encode()

    async def run() -> None:
        app = create_app(services)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        answers = await asyncio.gather(
            *(asgi_request(app, "POST", "/v1/predict", body, headers) for _ in range(6))
        )
        assert [status for status, _ in answers] == [200] * 6

    asyncio.run(run())
    assert peak == concurrency

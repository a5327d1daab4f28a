"""The operator page's test kit: the API served on a thread, headless Chromium, flood paths."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime

from fastapi import FastAPI
from playwright.sync_api import Browser, sync_playwright

from floodcast.api.server import server_config
from schemas import FloodPathPrediction, ModelRef, PathSummary, ReachForecast
from tests.helpers.api_server import running

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium (``apt-get install chromium``); Playwright drives it, never its own."""

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""No network of its own, no first-run or update traffic. Playwright gives every launch a
fresh profile folder (its own ``--user-data-dir``)."""


def serve(app: FastAPI, port: int) -> AbstractContextManager[str]:
    """Serve ``app`` over plain HTTP on loopback; the context yields its base URL."""
    return running(server_config(app, "127.0.0.1", port), f"http://127.0.0.1:{port}")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Debian Chromium under Playwright."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_FLAGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def path_prediction(
    basin_id: str,
    path: Sequence[tuple[str, float, int, int]],
    *,
    watermark: datetime,
    issued_at: datetime,
    model: ModelRef,
) -> FloodPathPrediction:
    """A prediction whose path is ``path``: (reach, probability, ETA minutes, reaches to outlet),
    in flooding order."""
    reaches = tuple(
        ReachForecast(reach_id=r, probability=p, eta_minutes=eta, reaches_to_outlet=depth)
        for r, p, eta, depth in path
    )
    return FloodPathPrediction(
        basin_id=basin_id,
        issued_at=issued_at,
        watermark=watermark,
        model=model,
        horizon_hours=6,
        threshold=0.5,
        reaches=reaches,
        summary=PathSummary.from_reaches(reaches),
        readings_used=len(reaches) * 4,
    )

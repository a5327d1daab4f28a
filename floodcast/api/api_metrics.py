"""Prometheus metrics of the API, in a registry of its own, and the middleware that counts."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ApiMetrics", "MetricsMiddleware"]

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""HTTP methods counted by name; any other a client invents is counted as ``other``."""


class ApiMetrics:
    """Request counts and latencies, the active model, and the predictions followed.

    A registry per app (not the process-wide default) so that several apps can live in one
    process, as they do in tests.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "floodcast_api_requests",
            "HTTP requests answered, by route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "floodcast_api_request_seconds",
            "Time to answer a request, by route template.",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
            registry=self.registry,
        )
        self.model = Gauge(
            "floodcast_api_model_info",
            "The model package in use (value 1).",
            ["name", "version", "sha256"],
            registry=self.registry,
        )
        self.predictions_followed = Counter(
            "floodcast_api_predictions_followed",
            "Predictions read from the predictions topic.",
            registry=self.registry,
        )
        self.bad_predictions = Counter(
            "floodcast_api_bad_prediction_messages",
            "Messages on the predictions topic that are not valid predictions.",
            registry=self.registry,
        )

    def set_model(self, name: str, version: str, sha256: str) -> None:
        """Show ``name``/``version`` as the only active model."""
        self.model.clear()
        self.model.labels(name=name, version=version, sha256=sha256).set(1)


class MetricsMiddleware:
    """Counts every HTTP request under its route template (``unmatched`` for unknown paths)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            # FastAPI puts the matched route in the scope; its template bounds the label set.
            route = getattr(scope.get("route"), "path", "unmatched")
            # issue 13: no label value a client picks (it could make series without end)
            method = scope["method"] if scope["method"] in _METHODS else "other"
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)

"""The FastAPI application: routers, problem responses, body limit, metrics, OpenAPI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from floodcast.api.api_metrics import MetricsMiddleware
from floodcast.api.body_limit import BodyLimitMiddleware
from floodcast.api.problem_handlers import install_problem_handlers
from floodcast.api.resources import PredictRequest
from floodcast.api.routes import ROUTERS
from floodcast.api.routes.web import STATIC_DIR
from floodcast.api.services import ApiServices

__all__ = ["API_VERSION", "create_app", "openapi_document"]

API_VERSION = "1.0.0"


def create_app(services: ApiServices) -> FastAPI:
    """The REST API over ``services``; the predictions follower and the model reloader run for
    the app's lifetime."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if services.follower is not None:
            services.follower.start()
        if services.reloader is not None:
            services.reloader.start()
        for feed in services.feeds:
            feed.start()
        try:
            yield
        finally:
            for feed in services.feeds:
                feed.stop()
            if services.reloader is not None:
                await services.reloader.stop()
            if services.follower is not None:
                services.follower.stop()

    app = _routed_app(lifespan, docs=services.docs_enabled)
    app.state.services = services
    install_problem_handlers(app)
    # Added last = outermost: oversize bodies are refused before anything else runs, and
    # every answer, refusals included, is counted.
    app.add_middleware(BodyLimitMiddleware, max_bytes=services.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=services.metrics)
    return app


def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, without loading a model (for fuzzing and export)."""
    return _openapi(_routed_app())


def _routed_app(lifespan: Any = None, *, docs: bool = True) -> FastAPI:
    app = FastAPI(
        title="Floodcast API",
        version=API_VERSION,
        summary="Flood-path predictions for river basins, from rain-gauge readings.",
        lifespan=lifespan,
        # issue 13: the document only on demand, and never Swagger UI or ReDoc, whose pages
        # load their scripts from a CDN
        openapi_url="/openapi.json" if docs else None,
        docs_url=None,
        redoc_url=None,
    )
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/web", StaticFiles(directory=STATIC_DIR), name="web")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema plus ``PredictRequest``, which the predict route validates itself."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        body = PredictRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components["PredictRequest"] = body
        app.openapi_schema = schema
    return app.openapi_schema

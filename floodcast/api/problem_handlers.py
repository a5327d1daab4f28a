"""Turn every error a request can meet into an RFC 9457 problem response."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from floodcast.api.exceptions import ProblemError
from floodcast.api.problem import problem_response
from schemas import MAX_FIELD_ERRORS, FieldError

__all__ = ["install_problem_handlers"]

logger = logging.getLogger(__name__)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer our problems, FastAPI's validation errors and Starlette's HTTP errors as problems."""
    app.add_exception_handler(ProblemError, _on_problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected)


async def _on_problem(request: Request, exc: ProblemError) -> JSONResponse:
    errors = getattr(exc, "errors", None)
    return problem_response(
        exc.status,
        detail=exc.detail,
        slug=exc.slug,
        title=exc.title,
        instance=request.url.path,
        errors=errors,
        headers=exc.headers,
    )


async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    raw = list(exc.errors())
    errors = [
        FieldError.clipped(
            ".".join(str(part) for part in err.get("loc", ())),
            str(err.get("msg", "")),
            str(err.get("type", "")),
        )
        for err in raw[:MAX_FIELD_ERRORS]
    ]
    return problem_response(
        422,
        detail=f"{len(raw)} invalid field(s)",
        slug="validation-error",
        instance=request.url.path,
        errors=errors,
    )


async def _on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return problem_response(
        exc.status_code,
        detail=str(exc.detail) if exc.detail else None,
        instance=request.url.path,
        headers=dict(exc.headers or {}),
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.error("api_unexpected_error", exc_info=exc, extra={"fields": {"path": request.url.path}})
    return problem_response(500, detail="unexpected error", instance=request.url.path)

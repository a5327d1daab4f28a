"""RFC 9457 problem details: the body of every error the API answers."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from schemas import FieldError

__all__ = ["PROBLEM_MEDIA_TYPE", "Problem", "problem_response", "problem_type"]

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem_type(slug: str) -> str:
    """The ``type`` URI of one of Floodcast's problem kinds."""
    return f"urn:floodcast:problem:{slug}"


class Problem(BaseModel):
    """What went wrong with a request (RFC 9457), with field errors for invalid content."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(default="about:blank", description="URI naming the kind of problem.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(ge=400, le=599, description="The HTTP status code.")
    detail: str | None = Field(default=None, description="What went wrong with this request.")
    instance: str | None = Field(default=None, description="The request path.")
    errors: list[FieldError] | None = Field(
        default=None, description="One entry per invalid field (422 only)."
    )


def problem_response(
    status: int,
    *,
    detail: str | None = None,
    slug: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An ``application/problem+json`` response.

    Args:
        status: HTTP status code.
        detail: explanation specific to this request.
        slug: Floodcast's name of the problem kind; None = ``about:blank``.
        title: summary; defaults to the status code's reason phrase.
        instance: the request path.
        errors: field errors of an invalid request.
        headers: extra response headers.
    """
    problem = Problem(
        type=problem_type(slug) if slug else "about:blank",
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        errors=list(errors) if errors is not None else None,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )

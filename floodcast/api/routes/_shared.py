"""What every router needs: the services of the app and the problem responses it documents."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from floodcast.api.problem import PROBLEM_MEDIA_TYPE, Problem
from floodcast.api.services import ApiServices

__all__ = ["problem_responses", "services"]


def services(request: Request) -> ApiServices:
    """The app's services (a FastAPI dependency)."""
    return request.app.state.services


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses an endpoint may answer."""
    return {status: {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}} for status in statuses}

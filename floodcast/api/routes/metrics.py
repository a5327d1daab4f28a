"""``GET /metrics``: Prometheus text exposition (admin scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from floodcast.api.routes._shared import problem_responses, services
from floodcast.api.security import require_scope
from floodcast.api.services import ApiServices

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    dependencies=[Depends(require_scope("admin"))],
    responses={200: {"content": {"text/plain": {}}}, **problem_responses(401, 403, 429)},
    response_class=Response,
)
def metrics(api: Annotated[ApiServices, Depends(services)]) -> Response:
    """Request counts and latencies, the model in use, predictions followed."""
    return Response(generate_latest(api.metrics.registry), media_type=CONTENT_TYPE_LATEST)

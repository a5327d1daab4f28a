"""``GET /v1/live`` (server-sent events) and ``GET /v1/basins/{basin_id}/history``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import StreamingResponse

from floodcast.api.exceptions import UnknownBasinError
from floodcast.api.routes._shared import problem_responses, services
from floodcast.api.security import require_scope
from floodcast.api.services import ApiServices
from floodcast.api.web.live_hub import LiveEvent, encode_event, json_event
from schemas import FloodPathPrediction
from schemas._base import IDENTIFIER_PATTERN

__all__ = ["STATUS_SECONDS", "router"]

STATUS_SECONDS = 2.0
"""Time between ``status`` events (staleness, lag, gauge ages); also the stream's keep-alive."""

router = APIRouter(tags=["live"], dependencies=[Depends(require_scope("paths:read"))])


@router.get(
    "/v1/basins/{basin_id}/history",
    response_model=list[FloodPathPrediction],
    summary="A basin's flood paths of the last 24 hours of event time",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def history(
    basin_id: Annotated[str, Path(pattern=IDENTIFIER_PATTERN, max_length=64)],
    api: Annotated[ApiServices, Depends(services)],
) -> list[FloodPathPrediction]:
    """Every prediction seen for the basin whose watermark is within 24 h of its newest."""
    if basin_id not in api.scorer.geometries:
        raise UnknownBasinError(f"basin {basin_id!r} is not served by the model")
    return api.live.paths(basin_id)


# Not in the OpenAPI document: an endless stream has no response to validate or fuzz.
@router.get("/v1/live", include_in_schema=False, response_class=StreamingResponse)
async def live(api: Annotated[ApiServices, Depends(services)]) -> StreamingResponse:
    """Server-sent events: ``snapshot`` first (latest path per basin, open alerts, status),
    then ``prediction`` and ``alert`` as they arrive and ``status`` every 2 s."""
    return StreamingResponse(
        _events(api),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _snapshot(api: ApiServices) -> LiveEvent:
    basins = sorted(api.scorer.geometries)
    latest = {}
    for basin_id in basins:
        prediction = api.latest.get(basin_id)
        latest[basin_id] = prediction.model_dump(mode="json") if prediction else None
    return json_event(
        "snapshot",
        {
            "latest": latest,
            "alerts": [a.model_dump(mode="json") for a in api.live.open_alerts()],
            "status": api.live.status(basins),
        },
    )


async def _events(api: ApiServices) -> AsyncIterator[str]:
    subscription = api.live.subscribe()
    try:
        yield encode_event(_snapshot(api))
        next_status = time.monotonic() + STATUS_SECONDS
        while True:
            wait = max(next_status - time.monotonic(), 0.0)
            try:
                event = await asyncio.wait_for(subscription.queue.get(), timeout=wait)
            except TimeoutError:
                event = json_event("status", api.live.status(api.scorer.geometries))
                next_status = time.monotonic() + STATUS_SECONDS
            if event is None:  # fell too far behind: the page reconnects for a fresh snapshot
                return
            yield encode_event(event)
    finally:
        api.live.unsubscribe(subscription)

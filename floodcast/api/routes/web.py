"""``GET /`` (the operator page) and ``GET /v1/networks`` (the river networks it draws)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse

from floodcast.api.routes._shared import problem_responses, services
from floodcast.api.security import require_scope
from floodcast.api.services import ApiServices
from floodcast.api.web.network_map import BasinMap, basin_map

__all__ = ["STATIC_DIR", "router"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
"""The page's HTML, CSS and JavaScript modules (package data)."""

router = APIRouter(tags=["web"])


@router.get("/", include_in_schema=False, response_class=FileResponse)
def page() -> FileResponse:
    """The operator page; it holds no data itself and asks for a key before it fetches any."""
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


@router.get(
    "/v1/networks",
    response_model=list[BasinMap],
    summary="Each basin's river network, ready to draw",
    dependencies=[Depends(require_scope("paths:read"))],
    responses=problem_responses(401, 403, 429),
)
def networks(api: Annotated[ApiServices, Depends(services)]) -> list[BasinMap]:
    """Reach segments (width by upstream area), gauges and outlet of every basin served."""
    return [basin_map(api.scorer.basins[b]) for b in sorted(api.scorer.basins)]

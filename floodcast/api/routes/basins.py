"""``GET /v1/basins`` and ``GET /v1/basins/{basin_id}/flood-path``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from floodcast.api.exceptions import NoPredictionYetError, UnknownBasinError
from floodcast.api.resources import BasinInfo
from floodcast.api.routes._shared import problem_responses, services
from floodcast.api.security import require_scope
from floodcast.api.services import ApiServices
from schemas import FloodPathPrediction
from schemas._base import IDENTIFIER_PATTERN

__all__ = ["router"]

router = APIRouter(tags=["basins"], dependencies=[Depends(require_scope("paths:read"))])


@router.get(
    "/v1/basins",
    response_model=list[BasinInfo],
    summary="The basins the model serves",
    responses=problem_responses(401, 403, 429),
)
def list_basins(api: Annotated[ApiServices, Depends(services)]) -> list[BasinInfo]:
    """Every basin of the deployed model, with its reaches, gauges and latest watermark."""
    basins = []
    for basin_id, geometry in sorted(api.scorer.geometries.items()):
        latest = api.latest.get(basin_id)
        basins.append(
            BasinInfo(
                basin_id=basin_id,
                reach_ids=list(geometry.reach_ids),
                gauge_ids=list(geometry.gauge_ids),
                latest_watermark=latest.watermark if latest else None,
            )
        )
    return basins


@router.get(
    "/v1/basins/{basin_id}/flood-path",
    response_model=FloodPathPrediction,
    summary="The latest flood-path prediction the stream published for a basin",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def flood_path(
    basin_id: Annotated[str, Path(pattern=IDENTIFIER_PATTERN, max_length=64)],
    api: Annotated[ApiServices, Depends(services)],
) -> Response:
    """The newest prediction for the basin on the predictions topic (by watermark)."""
    if basin_id not in api.scorer.geometries:
        raise UnknownBasinError(f"basin {basin_id!r} is not served by the model")
    latest = api.latest.get(basin_id)
    if latest is None:
        raise NoPredictionYetError(f"no prediction for basin {basin_id!r} has been published yet")
    return Response(latest.model_dump_json(), media_type="application/json")

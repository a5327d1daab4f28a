"""``GET /v1/model``: the deployed model package."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from floodcast.api.resources import ModelInfo
from floodcast.api.routes._shared import problem_responses, services
from floodcast.api.security import require_scope
from floodcast.api.services import ApiServices

__all__ = ["router"]

router = APIRouter(tags=["model"])


@router.get(
    "/v1/model",
    response_model=ModelInfo,
    summary="The model in use",
    dependencies=[Depends(require_scope("paths:read"))],
    responses=problem_responses(401, 403, 429),
)
def model(api: Annotated[ApiServices, Depends(services)]) -> ModelInfo:
    """Identity, operating threshold, horizon, features and held-out metrics of the model."""
    return api.model_info

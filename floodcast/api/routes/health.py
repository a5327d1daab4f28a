"""``GET /healthz`` (the process answers) and ``GET /readyz`` (it can serve)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from floodcast.api.exceptions import NotReadyError
from floodcast.api.routes._shared import problem_responses, services
from floodcast.api.services import ApiServices

__all__ = ["router"]

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The answer of a health probe."""

    status: str
    checks: dict[str, bool] = {}


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    """Always ``ok`` while the process serves requests; no key needed."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, summary="Readiness", responses=problem_responses(503))
def readyz(api: Annotated[ApiServices, Depends(services)]) -> Health:
    """``ready`` once the model is loaded and the predictions topic has been read to its end."""
    checks = api.readiness()
    if not all(checks.values()):
        failing = ", ".join(name for name, ok in checks.items() if not ok)
        raise NotReadyError(f"not ready: {failing}")
    return Health(status="ready", checks=checks)

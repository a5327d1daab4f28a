"""``POST /v1/predict``: a window of readings in, the basin's flood path out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from floodcast.api.exceptions import InvalidRequestError
from floodcast.api.resources import PredictRequest
from floodcast.api.routes._shared import problem_responses, services
from floodcast.api.security import require_scope
from floodcast.api.security.authenticator import too_many
from floodcast.api.security.stored_key import StoredKey
from floodcast.api.services import ApiServices
from schemas import MAX_FIELD_ERRORS, FieldError, FloodPathPrediction

__all__ = ["router"]

router = APIRouter(tags=["predictions"])


@router.post(
    "/v1/predict",
    response_model=FloodPathPrediction,
    summary="Predict a basin's flood path from a window of gauge readings",
    responses=problem_responses(401, 403, 404, 413, 422, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"}}
            },
        }
    },
)
async def predict(
    request: Request,
    api: Annotated[ApiServices, Depends(services)],
    key: Annotated[StoredKey, Depends(require_scope("predict"))],
) -> Response:
    """Run the readings through the stream's own processing and answer the last prediction.

    The readings go through the worker's batch processor from an empty basin state, so the
    answer is what the stream would publish after them (with every slot closed at once).
    Decoding and scoring run in worker threads, a bounded number at once, so the event loop
    keeps answering other requests; each reading costs one of the key's reading tokens.
    """
    body = await request.body()
    window = await api.prediction_slots.run(_decode, body)
    wait = api.reading_limiter.acquire(key.key_id, len(window.readings))
    if wait > 0:
        rate = api.reading_limiter.rate
        raise too_many(f"the API key {key.key_id} is over {rate:g} readings/s", wait)
    prediction = await api.prediction_slots.run(api.predictor.predict, window)
    return Response(prediction.model_dump_json(), media_type="application/json")


def _decode(body: bytes) -> PredictRequest:
    """Validate a request body as the stream decodes: strict types, ISO-8601 datetimes.

    Raises:
        InvalidRequestError: the body is not a valid request (422, one entry per field).
    """
    try:
        return PredictRequest.model_validate_json(body)
    except ValidationError as exc:
        errors = [
            FieldError.clipped(f"body.{error.loc}" if error.loc else "body", error.msg, error.type)
            for error in FieldError.from_validation_error(exc, limit=MAX_FIELD_ERRORS)
        ]
        raise InvalidRequestError(f"{exc.error_count()} invalid field(s)", errors) from exc

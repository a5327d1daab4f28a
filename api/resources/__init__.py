"""Request and response bodies of the REST API beyond the stream's own messages."""

from api.resources.basin_info import BasinInfo
from api.resources.model_info import ModelInfo
from api.resources.predict_request import MAX_READINGS, MAX_WINDOW_HOURS, PredictRequest

__all__ = ["MAX_READINGS", "MAX_WINDOW_HOURS", "BasinInfo", "ModelInfo", "PredictRequest"]

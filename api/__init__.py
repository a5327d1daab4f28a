"""Floodcast's REST API: predictions on request, the latest flood paths, the model in use."""

from api.app import API_VERSION, create_app
from api.service_factory import build_services
from api.services import ApiServices

__all__ = ["API_VERSION", "ApiServices", "build_services", "create_app"]

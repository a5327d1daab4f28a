"""Floodcast's REST API: predictions on request, the latest flood paths, the model in use."""

from floodcast.api.app import API_VERSION, create_app
from floodcast.api.service_factory import build_services
from floodcast.api.services import ApiServices

__all__ = ["API_VERSION", "ApiServices", "build_services", "create_app"]

"""The API's routers, one module per resource."""

from floodcast.api.routes import basins, health, metrics, model, predict

ROUTERS = (predict.router, basins.router, model.router, health.router, metrics.router)

__all__ = ["ROUTERS"]

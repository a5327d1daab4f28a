"""The API's routers, one module per resource."""

from floodcast.api.routes import basins, health, live, metrics, model, predict, web

ROUTERS = (
    predict.router,
    basins.router,
    live.router,
    model.router,
    health.router,
    metrics.router,
    web.router,
)

__all__ = ["ROUTERS"]

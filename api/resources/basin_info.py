"""What ``GET /v1/basins`` tells about each basin the model serves."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

__all__ = ["BasinInfo"]


class BasinInfo(BaseModel):
    """A basin served by the deployed model."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    basin_id: str
    reach_ids: list[str]
    """Reaches, upstream first."""
    gauge_ids: list[str]
    """Gauges whose readings the model uses."""
    latest_watermark: datetime | None = None
    """Watermark of the latest prediction seen on the predictions topic, if any."""

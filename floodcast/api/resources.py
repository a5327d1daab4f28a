"""The API's request and response bodies: a window of gauge readings to predict from, a
basin's description and the model in use."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from converters.manifest import Manifest
from schemas import GaugeReading
from schemas._base import Identifier, StrictMessage

__all__ = ["BasinInfo", "MAX_READINGS", "MAX_WINDOW_HOURS", "ModelInfo", "PredictRequest"]


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


class ModelInfo(BaseModel):
    """The active model: identity, operating point and held-out metrics."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)

    name: str
    version: str
    sha256: str
    """Digest of the ONNX model file, as predictions report it."""
    model_family: str
    created_at: datetime
    horizon_hours: int
    step_minutes: int
    operating_threshold: float
    basins: list[str]
    features: list[str]
    """Model input columns, in order."""
    metrics: dict[str, float]
    """Scores on held-out storms."""
    signed: bool
    """Whether the package's HMAC signature was checked before it was loaded."""

    @classmethod
    def from_manifest(cls, manifest: Manifest, *, signed: bool) -> ModelInfo:
        """Describe a loaded package by its manifest."""
        return cls(
            name=manifest.name,
            version=manifest.version,
            sha256=manifest.model_sha256,
            model_family=manifest.model_family,
            created_at=manifest.created_at,
            horizon_hours=manifest.horizon_hours,
            step_minutes=manifest.step_minutes,
            operating_threshold=manifest.operating_threshold,
            basins=list(manifest.basins),
            features=[c.name for c in sorted(manifest.features, key=lambda c: c.index)],
            metrics=dict(manifest.metrics),
            signed=signed,
        )


MAX_READINGS = 10_000
"""Readings per request; a day of 15-minute readings from 100 gauges is 9,600."""

MAX_WINDOW_HOURS = 7 * 24
"""Longest span from the first interval's start to the last reading's end.

The features look back 24 h (and the antecedent index decays by 0.9 a day), so a week is
plenty; the cap also bounds the number of 15-minute steps a request can make the model score.
"""


class PredictRequest(StrictMessage):
    """Gauge readings of one basin, in any order; the prediction is made after the last slot."""

    basin_id: Identifier
    readings: Annotated[list[GaugeReading], Field(min_length=1, max_length=MAX_READINGS)]
    """Every reading must be of ``basin_id`` and of one of its gauges."""

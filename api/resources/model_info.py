"""What ``GET /v1/model`` tells about the deployed model package."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from converters.manifest import Manifest

__all__ = ["ModelInfo"]


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

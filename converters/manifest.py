"""The model package's manifest: what the package holds and how it was made."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

Compression = Literal["none", "gzip", "bzip2", "lzma"]

INPUT_NAME = "features"
"""The ONNX graph's one input: float32 features, one row per reach."""
PROBABILITY_OUTPUT = "flood_probability"
"""The graph's output of P(flooded within the horizon), one per row."""
ETA_OUTPUT = "eta_hours"
"""The graph's output of the expected hours until flooding, one per row."""
DEFAULT_COMPRESSION: Compression = "gzip"
"""How ``model.onnx`` is stored unless a build says otherwise."""

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackagedFile(_Frozen):
    """A file of the package and the digest it must have."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)


class FeatureColumn(_Frozen):
    """One model input column."""

    index: int = Field(ge=0)
    name: str
    dtype: Literal["float32"] = "float32"


class ModelOutput(_Frozen):
    """One model output."""

    name: str
    dtype: Literal["float32"] = "float32"
    description: str


class Manifest(_Frozen):
    """Everything needed to load, check and explain a model package."""

    format_version: Literal[1] = FORMAT_VERSION
    name: str
    version: str
    created_at: AwareDatetime
    model_file: str
    compression: Compression
    files: dict[str, PackagedFile]
    features: list[FeatureColumn]
    outputs: list[ModelOutput]
    horizon_hours: int = Field(gt=0)
    step_minutes: int = Field(gt=0)
    operating_threshold: float = Field(gt=0, lt=1)
    basins: list[str]
    model_family: str
    training: dict[str, object]
    metrics: dict[str, float]
    versions: dict[str, str]

    @property
    def model_sha256(self) -> str:
        return self.files[self.model_file].sha256

    @property
    def created(self) -> datetime:
        return self.created_at

"""The model package's manifest: what the package holds and how it was made."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from converters.package_files import check_file_name

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
MAX_MANIFEST_BYTES = 1024 * 1024
"""Largest manifest read (issue 13: checked before reading)."""
MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest file a manifest may list, and largest decompressed model."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackagedFile(_Frozen):
    """A file of the package and the digest it must have."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0, le=MAX_FILE_BYTES)


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
    model_onnx_bytes: int | None = Field(default=None, gt=0, le=MAX_FILE_BYTES)
    """Size of the decompressed model: decompression stops past it (required when compressed)."""
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

    @field_validator("model_file")
    @classmethod
    def _confined_model_file(cls, value: str) -> str:
        return check_file_name(value)

    @field_validator("files")
    @classmethod
    def _confined_file_names(cls, value: dict[str, PackagedFile]) -> dict[str, PackagedFile]:
        for name in value:
            check_file_name(name)
        return value

    @property
    def model_sha256(self) -> str:
        return self.files[self.model_file].sha256

    @property
    def created(self) -> datetime:
        return self.created_at

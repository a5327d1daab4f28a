"""Identity of the model that produced a prediction."""

from __future__ import annotations

from schemas._message import StrictMessage
from schemas._types import NonEmptyText, Sha256Hex


class ModelRef(StrictMessage):
    """Name, version and content hash of a model package."""

    name: NonEmptyText
    version: NonEmptyText
    sha256: Sha256Hex
    """Lower-case hex SHA-256 of the package's model file, as listed in its manifest."""

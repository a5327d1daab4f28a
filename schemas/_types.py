"""Constrained field types shared by the message models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

IDENTIFIER_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
"""Gauge, basin and reach ids: 1-64 characters, letters, digits, ``_``, ``.`` and ``-``."""

Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]
SchemaVersion = Literal[1]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Minutes = Annotated[float, Field(ge=0.0)]
Count = Annotated[int, Field(ge=0)]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
NonEmptyText = Annotated[str, StringConstraints(min_length=1, max_length=4096)]

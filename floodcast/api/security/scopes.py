"""What an API key may do."""

from __future__ import annotations

from typing import Final, Literal, get_args

__all__ = ["SCOPES", "Scope"]

Scope = Literal["paths:read", "predict", "admin"]
"""``paths:read``: basins, latest flood paths and the model; ``predict``: ``POST /v1/predict``;
``admin``: metrics, and everything the other scopes allow."""

SCOPES: Final[tuple[str, ...]] = get_args(Scope)

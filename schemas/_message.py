"""Base class of every Floodcast message: strict, closed and immutable."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictMessage(BaseModel):
    """A Kafka message body.

    Strict types (no ``"1"`` for ``1``), unknown fields rejected, instances frozen, and no NaN or
    infinity anywhere. In JSON, datetimes still arrive as ISO-8601 strings: strict mode accepts
    them there (only Python-mode validation insists on ``datetime`` objects).
    """

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        use_attribute_docstrings=True,
    )

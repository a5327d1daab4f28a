"""SenML (RFC 8428) packs of gauge readings: many intervals of one or more gauges in one message.

Mapping (JSON representation, RFC 8428 section 4):

* ``bn`` + ``n`` names the measurement: ``urn:dev:floodcast:<basin_id>:<gauge_id>:`` as the
  base name and ``rainfall`` as the name. Any split of the full name between ``bn`` and ``n``
  is accepted, as the RFC resolves them by concatenation.
* ``u`` (or the base unit ``bu``) is ``mm``; ``v`` is the rainfall of the interval.
* ``bt`` + ``t`` is the end of the interval (``observed_at``) in seconds since the epoch.
  Relative times (below 2**28, "relative to now" in the RFC) are refused: readings need an
  absolute event time.
* ``seq`` (Floodcast extension) is the gauge's sequence number; ``ivl`` (extension, default
  15) the interval length in minutes; ``q`` (extension, default ``good``) the quality flag.
* Base fields apply to the record that carries them and every later one until changed.
  Fields ending in ``_`` ("must understand") are refused; other unknown fields are ignored.

Each record becomes one ``GaugeReading`` and is validated on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator
from pydantic_core import PydanticCustomError, from_json

from schemas._base import Count, FieldError
from schemas.decode import MAX_FIELD_ERRORS, decode_reading, rejection_from
from schemas.exceptions import (
    InvalidJsonError,
    NotUtf8Error,
    OversizeMessageError,
    ReadingDecodeError,
    SchemaViolationError,
)
from schemas.gauge_reading import GaugeReading, Quality

__all__ = [
    "NAME_PREFIX",
    "RAINFALL_NAME",
    "DecodedReading",
    "SenMLPack",
    "SenMLRecord",
    "decode_message",
    "is_pack",
]

NAME_PREFIX = "urn:dev:floodcast:"
"""Start of every full name: ``urn:dev:floodcast:<basin_id>:<gauge_id>:rainfall``."""
RAINFALL_NAME = "rainfall"
"""Last part of the full name of a rainfall record."""
UNIT = "mm"
_RELATIVE_TIME_LIMIT = 2**28
"""RFC 8428 section 4.5.3: smaller times are relative to the current time."""

DecodedReading = tuple[int | None, GaugeReading | ReadingDecodeError]
"""``(record index or None for a single reading, the reading or why it was refused)``."""


class SenMLRecord(BaseModel):
    """One SenML record as Floodcast reads it (base fields included)."""

    model_config = ConfigDict(
        # NaN and infinity pass here so that the reading refuses them as out of bounds
        strict=True,
        extra="ignore",
        frozen=True,
        use_attribute_docstrings=True,
    )

    bn: str | None = None
    """Base name; applies to this and later records."""
    bt: float | None = None
    """Base time (epoch seconds); applies to this and later records."""
    bu: str | None = None
    """Base unit; applies to this and later records."""
    bver: int | None = None
    """SenML version; accepted and ignored."""
    n: str = ""
    """Name, appended to the base name."""
    u: str | None = None
    """Unit; ``mm``."""
    v: float | None = None
    """Rainfall over the interval."""
    t: float = 0.0
    """Time added to the base time: the interval's end."""
    seq: Count | None = None
    """Floodcast extension: the gauge's sequence number (required)."""
    ivl: Annotated[int, Field(ge=1, le=60)] | None = None
    """Floodcast extension: interval length in minutes (default 15)."""
    q: Quality | None = None
    """Floodcast extension: the gauge's quality flag (default ``good``)."""

    @model_validator(mode="before")
    @classmethod
    def _must_understand(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for key in data:  # a plain scan first: records rarely have any (issue 14)
            if isinstance(key, str) and key.endswith("_"):
                unknown = sorted(k for k in data if isinstance(k, str) and k.endswith("_"))
                raise PydanticCustomError(
                    "senml_must_understand",
                    "must-understand fields not supported: {fields}",
                    {"fields": ", ".join(unknown)},
                )
        return data


class SenMLPack(RootModel[list[SenMLRecord]]):
    """A SenML pack: a JSON array of at least one record (RFC 8428)."""

    root: Annotated[list[SenMLRecord], Field(min_length=1)]


_validate_record = SenMLRecord.__pydantic_validator__.validate_python
_validate_reading = GaugeReading.__pydantic_validator__.validate_python
"""The models' validators themselves, per record: ``model_validate`` only wraps them."""


def is_pack(raw: bytes) -> bool:
    """Whether a message value is a JSON array (a pack) rather than a JSON object."""
    return raw.lstrip()[:1] == b"["


def decode_message(raw: bytes, *, max_bytes: int) -> list[DecodedReading]:
    """Every reading of a message: one for a single reading, one per record for a pack.

    Args:
        raw: The message value exactly as consumed.
        max_bytes: Largest accepted message (single reading or whole pack).

    Returns:
        ``[(None, reading)]`` for a single reading; for a pack, ``(index, reading or rejection)``
        per record, in order.

    Raises:
        ReadingDecodeError: the message as a whole is unusable: a bad single reading, or a pack
            that is oversize, not UTF-8, not JSON, or not a non-empty array.
    """
    if not is_pack(raw):
        return [(None, decode_reading(raw, max_bytes=max_bytes))]
    if len(raw) > max_bytes:
        raise OversizeMessageError(f"{len(raw)}-byte pack exceeds the {max_bytes}-byte limit")
    items = _pack_items(raw)
    return list(_readings(items))


def _pack_items(raw: bytes) -> list[Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(f"not UTF-8: {exc.reason} at byte {exc.start}") from exc
    try:
        items = from_json(text, allow_inf_nan=True)
    except ValueError as exc:
        raise InvalidJsonError(f"pack is not JSON: {exc}") from exc
    if not isinstance(items, list) or not items:
        raise SchemaViolationError(
            "a SenML pack is a non-empty JSON array",
            (FieldError(loc="", msg="expected a non-empty array", type="senml_pack"),),
        )
    return items


def _readings(items: list[Any]) -> Iterator[DecodedReading]:
    """Resolve base fields record by record and validate each record as a ``GaugeReading``."""
    base_name, base_time, base_unit = "", 0.0, None
    for index, item in enumerate(items):
        try:
            record = _validate_record(item)
        except ValidationError as exc:
            yield index, rejection_from(exc, b"")
            continue
        base_name = record.bn if record.bn is not None else base_name
        base_time = record.bt if record.bt is not None else base_time
        base_unit = record.bu if record.bu is not None else base_unit
        try:
            body = _reading_body(base_name + record.n, record, record.u or base_unit, base_time)
            yield index, _validate_reading(body)
        except ValidationError as exc:
            yield index, rejection_from(exc, b"")
        except ReadingDecodeError as exc:
            yield index, exc


def _reading_body(
    name: str, record: SenMLRecord, unit: str | None, base_time: float
) -> dict[str, Any]:
    """The ``GaugeReading`` fields of a resolved record.

    Raises:
        SchemaViolationError: the name, unit, value, time or sequence does not fit the mapping.
    """
    problems: list[FieldError] = []
    parts = name.removeprefix(NAME_PREFIX).split(":")
    if not name.startswith(NAME_PREFIX) or len(parts) != 3 or parts[2] != RAINFALL_NAME:
        expected = f"{NAME_PREFIX}<basin>:<gauge>:{RAINFALL_NAME}"
        problems.append(_problem("n", f"name {name!r} is not {expected}"))
    if unit != UNIT:
        problems.append(_problem("u", f"unit {unit!r} is not {UNIT!r}"))
    if record.v is None:
        problems.append(_problem("v", "no value"))
    if record.seq is None:
        problems.append(_problem("seq", "no sequence number"))
    when = base_time + record.t
    if when < _RELATIVE_TIME_LIMIT:
        problems.append(_problem("t", f"time {when} is relative; an absolute time is required"))
    if problems:
        detail = "; ".join(f"{p.loc}: {p.msg}" for p in problems[:MAX_FIELD_ERRORS])
        raise SchemaViolationError(detail, tuple(problems[:MAX_FIELD_ERRORS]))
    basin_id, gauge_id, _ = parts
    body: dict[str, Any] = {
        "gauge_id": gauge_id,
        "basin_id": basin_id,
        "sequence": record.seq,
        "observed_at": datetime.fromtimestamp(when, UTC),
        "rainfall_mm": record.v,
    }
    if record.ivl is not None:
        body["interval_minutes"] = record.ivl
    if record.q is not None:
        body["quality"] = record.q
    return body


def _problem(loc: str, msg: str) -> FieldError:
    return FieldError(loc=loc, msg=msg, type="senml_mapping")

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

Each record becomes one ``GaugeReading`` and is validated on its own. A pack whose records
all map to valid readings (the usual case) is validated in two calls, all its records at once
and then all its readings, and gives what record-by-record validation gives; any problem sends
the pack down the record-by-record path, which names each bad record.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError, from_json
from typing_extensions import TypedDict

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

_Interval = Annotated[int, Field(ge=1, le=60)]
_STRICT = ConfigDict(strict=True, extra="ignore")


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
    ivl: _Interval | None = None
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


class _SenMLRow(TypedDict, total=False):
    """A ``SenMLRecord`` as a plain dict (absent fields stay absent), for whole packs."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]

    bn: str | None
    bt: float | None
    bu: str | None
    bver: int | None
    n: str
    u: str | None
    v: float | None
    t: float
    seq: Count | None
    ivl: _Interval | None
    q: Quality | None


_validate_rows = TypeAdapter(list[_SenMLRow]).validate_json
_validate_readings = TypeAdapter(list[GaugeReading]).validate_python
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
    readings = _whole_pack(raw)
    if readings is not None:
        return list(enumerate(readings))
    return list(_readings(_pack_items(raw)))


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


def _whole_pack(raw: bytes) -> list[GaugeReading] | None:
    """Every record's reading, validated together; None if the pack or any record is refused.

    The mapping of ``_reading_body``, for records that fit it: the readings are those
    ``_readings`` gives (a hypothesis test holds the two to it).
    """
    if b'_"' in raw or b"\\" in raw:
        return None  # a key ending in "_" (must understand), perhaps escaped: record checks
    try:
        rows = _validate_rows(raw)
    except ValidationError:
        return None
    bodies = _row_bodies(rows) if rows else None
    if bodies is None:
        return None
    try:
        return _validate_readings(bodies)
    except ValidationError:
        return None


def _row_bodies(rows: list[_SenMLRow]) -> list[dict[str, Any]] | None:
    """The ``GaugeReading`` fields of every row, base fields resolved; None if one misfits."""
    base_name, base_time, base_unit = "", 0.0, None
    bodies: list[dict[str, Any]] = []
    name, ids = None, None  # the rows of a pack mostly share their name: parsed once
    for row in rows:
        get = row.get
        if (value := get("bn")) is not None:
            base_name = value
        if (value := get("bt")) is not None:
            base_time = value
        if (value := get("bu")) is not None:
            base_unit = value
        full = base_name + get("n", "")
        if full != name:
            name, ids = full, _rainfall_ids(full)
        if ids is None:
            return None
        body = _row_body(row, ids, get("u") or base_unit, base_time)
        if body is None:
            return None
        bodies.append(body)
    return bodies


def _rainfall_ids(name: str) -> tuple[str, str] | None:
    """``(basin_id, gauge_id)`` of a full rainfall name; None for any other name."""
    parts = name[len(NAME_PREFIX) :].split(":")
    if not name.startswith(NAME_PREFIX) or len(parts) != 3 or parts[2] != RAINFALL_NAME:
        return None
    return parts[0], parts[1]


def _row_body(
    row: _SenMLRow, ids: tuple[str, str], unit: str | None, base_time: float
) -> dict[str, Any] | None:
    """``_reading_body`` of a row of a rainfall name (``ids``) that fits the mapping; None for
    any other."""
    get = row.get
    when = base_time + get("t", 0.0)
    rain, sequence = get("v"), get("seq")
    if unit != UNIT or rain is None or sequence is None or when < _RELATIVE_TIME_LIMIT:
        return None
    try:
        observed_at = datetime.fromtimestamp(when, UTC)
    except (ValueError, OverflowError, OSError):
        return None  # NaN or out of range: as the record path has it
    body = {
        "gauge_id": ids[1],
        "basin_id": ids[0],
        "sequence": sequence,
        "observed_at": observed_at,
        "rainfall_mm": rain,
    }
    if (value := get("ivl")) is not None:
        body["interval_minutes"] = value
    if (value := get("q")) is not None:
        body["quality"] = value
    return body


def _reading_body(
    name: str, record: SenMLRecord, unit: str | None, base_time: float
) -> dict[str, Any]:
    """The ``GaugeReading`` fields of a resolved record.

    Raises:
        SchemaViolationError: the name, unit, value, time or sequence does not fit the mapping.
    """
    problems: list[FieldError] = []
    ids = _rainfall_ids(name)
    if ids is None:
        expected = f"{NAME_PREFIX}<basin>:<gauge>:{RAINFALL_NAME}"
        problems.append(_problem("n", f"name {name!r} is not {expected}"))
    if unit != UNIT:
        problems.append(_problem("u", f"unit {unit!r} is not {UNIT!r}"))
    if record.v is None:
        problems.append(_problem("v", "no value"))
    if record.seq is None:
        problems.append(_problem("seq", "no sequence number"))
    when = base_time + record.t
    observed_at = None
    if when < _RELATIVE_TIME_LIMIT:
        problems.append(_problem("t", f"time {when} is relative; an absolute time is required"))
    else:
        try:
            observed_at = datetime.fromtimestamp(when, UTC)
        except (ValueError, OverflowError, OSError):  # NaN, infinite or past year 9999
            problems.append(_problem("t", f"time {when} is not a representable instant"))
    if ids is None or problems:  # a misfit name is among the problems
        detail = "; ".join(f"{p.loc}: {p.msg}" for p in problems[:MAX_FIELD_ERRORS])
        raise SchemaViolationError(detail, tuple(problems[:MAX_FIELD_ERRORS]))
    basin_id, gauge_id = ids
    body: dict[str, Any] = {
        "gauge_id": gauge_id,
        "basin_id": basin_id,
        "sequence": record.seq,
        "observed_at": observed_at,
        "rainfall_mm": record.v,
    }
    if record.ivl is not None:
        body["interval_minutes"] = record.ivl
    if record.q is not None:
        body["quality"] = record.q
    return body


def _problem(loc: str, msg: str) -> FieldError:
    return FieldError(loc=loc, msg=msg, type="senml_mapping")

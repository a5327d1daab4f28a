"""A pack validated whole decodes exactly as record by record (issue 14: the whole-pack path is
only a faster way to the same readings, and any problem falls back to the record checks)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from schemas import decode_message
from schemas.senml import _pack_items, _readings, _whole_pack

LIMIT = 65_536
FIELDS = ("bn", "bt", "bu", "bver", "n", "u", "v", "t", "seq", "ivl", "q")
ODD_VALUES = st.sampled_from(
    [
        None,
        "",
        "mm",
        "in",
        "rainfall",
        "midvale-G01:rainfall",
        "urn:dev:floodcast:midvale:",
        "urn:dev:floodcast:midvale:midvale-G02:",
        "urn:dev:floodcast:mid vale:g:",
        "urn:dev:other:midvale:midvale-G01:",
        "good",
        "suspect",
        "bad",
        "1",
        True,
        0,
        1,
        -1,
        15,
        61,
        900,
        100.0,
        1.5,
        -0.0,
        150.0,
        151.0,
        1e308,
        float("nan"),
        float("inf"),
        2**63,
        1767226500,
        1767226500.5,
        [],
        {},
    ]
)


@st.composite
def records(draw: st.DrawFn, index: int) -> Any:
    """A valid record of gauge G01 or G02 at step ``index``, perhaps spoiled."""
    gauge = draw(st.sampled_from(["midvale-G01", "midvale-G02"]))
    record: dict[str, Any] = {
        "bn": f"urn:dev:floodcast:midvale:{gauge}:",
        "n": "rainfall",
        "u": "mm",
        "t": 1767226500.0 + 900 * index,
        "v": draw(st.sampled_from([0.0, 0.2, 2.5, 30.0])),
        "seq": index,
    }
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        field = draw(st.sampled_from([*FIELDS, "ext", "ext_"]))
        if draw(st.booleans()):
            record.pop(field, None)
        else:
            record[field] = draw(ODD_VALUES)
    return record if draw(st.integers(0, 30)) else draw(ODD_VALUES)


@st.composite
def packs(draw: st.DrawFn) -> bytes:
    """A pack of zero to six records, as JSON (NaN and infinity as JavaScript writes them)."""
    size = draw(st.integers(0, 6))
    items = [draw(records(index)) for index in range(size)]
    return json.dumps(items, separators=draw(st.sampled_from([(",", ":"), (", ", ": ")]))).encode()


def _outcome(raw: bytes) -> Any:
    """What a decoding gives, comparable: the readings and errors, or the message's error."""
    try:
        decoded = decode_message(raw, max_bytes=LIMIT)
    except Exception as exc:
        return _error(exc)
    return [(index, _comparable(item)) for index, item in decoded]


def _record_by_record(raw: bytes) -> Any:
    try:
        decoded = list(_readings(_pack_items(raw)))
    except Exception as exc:
        return _error(exc)
    return [(index, _comparable(item)) for index, item in decoded]


def _comparable(item: Any) -> Any:
    return _error(item) if isinstance(item, Exception) else item


def _error(exc: Exception) -> tuple[Any, ...]:
    return type(exc), str(exc), getattr(exc, "field_errors", None)


@settings(max_examples=400, deadline=None)
@given(packs())
@example(b"[]")
@example(b'[{"bn": "urn:dev:floodcast:midvale:midvale-G01:", "n": "rainfall", "u": "mm"}]')
def test_a_pack_decodes_as_its_records_one_by_one(raw: bytes) -> None:
    """Readings, rejections and their indices equal the record-by-record path's."""
    assert _outcome(raw) == _record_by_record(raw)


@settings(max_examples=400, deadline=None)
@given(packs())
def test_the_whole_pack_path_takes_only_packs_of_valid_records(raw: bytes) -> None:
    """When the whole-pack path gives readings, every record is a valid reading."""
    whole = _whole_pack(raw)
    if whole is not None:
        assert _record_by_record(raw) == list(enumerate(whole))


def test_a_valid_pack_takes_the_whole_pack_path() -> None:
    """A pack of valid records, base fields carried over, is validated whole."""
    pack = [
        {"bn": "urn:dev:floodcast:midvale:midvale-G01:", "bt": 1767226500, "bu": "mm"},
        {"n": "rainfall", "v": 1.0, "seq": 1},
        {"n": "rainfall", "v": 0.5, "seq": 2, "t": 900, "q": "suspect", "ivl": 15},
    ]
    raw = json.dumps(pack[:1] and [pack[0] | pack[1], pack[2]]).encode()
    whole = _whole_pack(raw)
    assert whole is not None and [r.sequence for r in whole] == [1, 2]
    assert _record_by_record(raw) == list(enumerate(whole))

"""Hypothesis strategies for what any producer may put on a topic (issue 12).

Raw bytes, JSON of any shape and depth (very deep nesting included), and valid messages with
one or two fields pushed to the extremes of their types: integers beyond 64 bits, datetimes
at the ends of Python's range and in any UTC offset, empty and huge strings, NaN and infinity.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

HUGE_TEXT = "x" * 100_000

_INT_EDGES = [0, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63), -(2**63) - 1, 10**300]
EXTREME_INTS = st.one_of(
    st.sampled_from(_INT_EDGES),
    st.integers(min_value=2**62, max_value=2**70),
    st.integers(min_value=-(2**200), max_value=2**200),
)
EXTREME_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 5e-324, 1.7976931348623157e308, float("nan"), float("inf")]),
)
_OFFSETS = st.builds(
    timezone,
    st.timedeltas(
        min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
    ),
)
EXTREME_TIMES = st.one_of(
    st.datetimes(min_value=datetime.min, max_value=datetime.max, timezones=_OFFSETS).map(
        datetime.isoformat
    ),
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59.999999Z",
            "9999-12-31T23:59:59-23:59",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2099-12-31T00:00:00Z",
            "2099-12-30T00:00:00Z",
            "2026-01-01",
            "2026-01-01T00:00:00",
            "",
            HUGE_TEXT,
        ]
    ),
)
EXTREME_TEXTS = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", HUGE_TEXT, "\x00", "a" * 64, "a" * 65, "[red]x[/red]", "é" * 5000]),
)
SCALARS = st.one_of(st.none(), st.booleans(), EXTREME_INTS, EXTREME_FLOATS, EXTREME_TEXTS)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=30,
)


def _nested(depth: int, kind: str) -> bytes:
    if kind == "list":
        return b"[" * depth + b"]" * depth
    if kind == "object":
        return b'{"a":' * depth + b"1" + b"}" * depth
    if kind == "gauge":
        return b'{"gauge_id":"g1","x":' + b"[" * depth + b"]" * depth + b"}"
    return b"[" * depth  # unclosed


DEEP_JSON = st.builds(
    _nested,
    st.one_of(st.integers(min_value=1, max_value=3_000), st.sampled_from([100_000, 1_000_000])),
    st.sampled_from(["list", "object", "gauge", "unclosed"]),
)


def to_json(value: object) -> bytes:
    """``value`` as JSON bytes (NaN and infinity as Python writes them)."""
    return json.dumps(value).encode()


def any_bytes(*messages: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """Raw bytes, JSON of any shape, very deep JSON, and the given messages as JSON.

    Messages come as often as the three others together: a message with one field at an
    extreme reaches deeper into a consumer than bytes that fail to parse.
    """
    as_json = [message.map(to_json) for message in messages]
    return st.one_of(st.binary(max_size=2_048), JSON_VALUES.map(to_json), DEEP_JSON, *(as_json * 3))


def at_extremes(
    valid: st.SearchStrategy[dict[str, Any]],
    extremes: Mapping[str, st.SearchStrategy[Any]],
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid messages with one or two fields replaced by extreme values (or left out)."""

    @st.composite
    def build(draw: Callable[[st.SearchStrategy[Any]], Any]) -> dict[str, Any]:
        body = dict(draw(valid))
        # each field as likely as any other (a set strategy favours the first names)
        names = [draw(st.sampled_from(sorted(extremes)))]
        if draw(st.integers(0, 3)) == 0:
            names.append(draw(st.sampled_from(sorted(extremes))))
        for name in names:
            if draw(st.integers(0, 9)) == 0:
                body.pop(name, None)
            else:
                body[name] = draw(extremes[name])
        return body

    return build()


def reading_extremes(gauges: st.SearchStrategy[str]) -> dict[str, st.SearchStrategy[Any]]:
    """Extreme values for every field of a ``GaugeReading``."""
    return {
        "schema_version": EXTREME_INTS,
        "gauge_id": st.one_of(gauges, EXTREME_TEXTS),
        "basin_id": EXTREME_TEXTS,
        "sequence": EXTREME_INTS,
        "observed_at": EXTREME_TIMES,
        "interval_minutes": EXTREME_INTS,
        "rainfall_mm": st.one_of(EXTREME_FLOATS, EXTREME_INTS),
        "quality": EXTREME_TEXTS,
        "battery_v": st.one_of(st.none(), EXTREME_FLOATS),
    }


def readings(
    basin: str, gauges: tuple[str, ...], around: datetime
) -> st.SearchStrategy[dict[str, Any]]:
    """Readings of ``basin`` with fields at the extremes of their types; the others valid, ending
    up to 4 h before and 24 h after ``around``."""
    valid = st.fixed_dictionaries(
        {
            "gauge_id": st.sampled_from(gauges),
            "basin_id": st.just(basin),
            "sequence": st.integers(min_value=0, max_value=10_000),
            "observed_at": st.integers(min_value=-16, max_value=96).map(
                lambda slots: (around + timedelta(minutes=15 * slots)).isoformat()
            ),
            "rainfall_mm": st.floats(min_value=0.0, max_value=5.0),
        }
    )
    return at_extremes(valid, reading_extremes(st.sampled_from(gauges)))


def level_extremes(sensors: st.SearchStrategy[str]) -> dict[str, st.SearchStrategy[Any]]:
    """Extreme values for every field of a ``RiverLevelReading``."""
    return {
        "schema_version": EXTREME_INTS,
        "sensor_id": st.one_of(sensors, EXTREME_TEXTS),
        "basin_id": EXTREME_TEXTS,
        "reach_id": EXTREME_TEXTS,
        "sequence": EXTREME_INTS,
        "observed_at": EXTREME_TIMES,
        "stage_m": st.one_of(EXTREME_FLOATS, EXTREME_INTS),
        "quality": EXTREME_TEXTS,
    }


def river_levels(
    basin: str, sensors: Mapping[str, str], around: datetime
) -> st.SearchStrategy[dict[str, Any]]:
    """River levels of ``basin``'s ``sensors`` (id -> reach) with fields at the extremes of
    their types; the others valid, observed up to 4 h before and 24 h after ``around``."""
    valid = st.sampled_from(sorted(sensors)).flatmap(
        lambda sensor: st.fixed_dictionaries(
            {
                "sensor_id": st.just(sensor),
                "basin_id": st.just(basin),
                "reach_id": st.just(sensors[sensor]),
                "sequence": st.integers(min_value=0, max_value=10_000),
                "observed_at": st.integers(min_value=-16, max_value=96).map(
                    lambda slots: (around + timedelta(minutes=15 * slots)).isoformat()
                ),
                "stage_m": st.floats(min_value=0.0, max_value=5.0),
            }
        )
    )
    return at_extremes(valid, level_extremes(st.sampled_from(sorted(sensors))))


def forecast_extremes(areas: st.SearchStrategy[str]) -> dict[str, st.SearchStrategy[Any]]:
    """Extreme values for every field of a ``RainForecast`` (and of one of its areas)."""
    extreme_area = st.fixed_dictionaries(
        {
            "area_id": st.one_of(areas, EXTREME_TEXTS),
            "rain_mm": st.lists(st.one_of(EXTREME_FLOATS, EXTREME_INTS), max_size=30),
        }
    )
    return {
        "schema_version": EXTREME_INTS,
        "forecast_id": EXTREME_TEXTS,
        "basin_id": EXTREME_TEXTS,
        "issued_at": EXTREME_TIMES,
        "step_minutes": EXTREME_INTS,
        "areas": st.lists(extreme_area, max_size=3),
    }


def rain_forecasts(
    basin: str, areas: Sequence[str], around: datetime
) -> st.SearchStrategy[dict[str, Any]]:
    """Rain forecasts of ``basin`` over some of its ``areas`` with fields at the extremes of
    their types; the others valid, issued up to 4 h before and 24 h after ``around``."""
    steps = st.lists(st.floats(min_value=0.0, max_value=30.0), min_size=24, max_size=24)
    valid = st.fixed_dictionaries(
        {
            "forecast_id": st.text(alphabet="abc", min_size=1, max_size=4),
            "basin_id": st.just(basin),
            "issued_at": st.integers(min_value=-16, max_value=96).map(
                lambda slots: (around + timedelta(minutes=15 * slots)).isoformat()
            ),
            "areas": st.lists(st.sampled_from(sorted(areas)), min_size=1, unique=True).flatmap(
                lambda ids: st.tuples(*(steps for _ in ids)).map(
                    lambda rain: [
                        {"area_id": i, "rain_mm": r} for i, r in zip(ids, rain, strict=True)
                    ]
                )
            ),
        }
    )
    return at_extremes(valid, forecast_extremes(st.sampled_from(sorted(areas))))


MODEL = {"name": "m", "version": "1", "sha256": "ab" * 32}


def predictions(basin: str = "b") -> st.SearchStrategy[dict[str, Any]]:
    """Flood-path predictions with fields at the extremes of their types."""
    at = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    valid = st.just(
        {
            "basin_id": basin,
            "issued_at": at,
            "watermark": at,
            "model": MODEL,
            "horizon_hours": 6,
            "threshold": 0.5,
            "reaches": [],
            "summary": {
                "first_reach": None,
                "last_reach": None,
                "time_to_first_flood_minutes": None,
                "peak": None,
                "n_reaches": 0,
            },
            "readings_used": 1,
        }
    )
    reach = st.fixed_dictionaries(
        {
            "reach_id": EXTREME_TEXTS,
            "probability": EXTREME_FLOATS,
            "eta_minutes": EXTREME_FLOATS,
            "reaches_to_outlet": EXTREME_INTS,
        }
    )
    extremes = {
        "basin_id": EXTREME_TEXTS,
        "issued_at": EXTREME_TIMES,
        "watermark": EXTREME_TIMES,
        "horizon_hours": EXTREME_INTS,
        "threshold": EXTREME_FLOATS,
        "reaches": st.lists(reach, max_size=3),
        "readings_used": EXTREME_INTS,
        "changed": SCALARS,
        "model": JSON_VALUES,
    }
    return at_extremes(valid, extremes)


def observations(basin: str = "b") -> st.SearchStrategy[dict[str, Any]]:
    """Flood observations with fields at the extremes of their types."""
    valid = st.fixed_dictionaries(
        {
            "basin_id": st.just(basin),
            "observed_at": st.just("2026-01-01T00:00:00Z"),
            "flooded_reach_ids": st.lists(st.sampled_from(["r1", "r2", "r3"]), unique=True),
        }
    )
    extremes = {
        "basin_id": EXTREME_TEXTS,
        "observed_at": EXTREME_TIMES,
        "flooded_reach_ids": st.one_of(
            st.lists(EXTREME_TEXTS, max_size=4), st.just(["r"] * 20_000)
        ),
    }
    return at_extremes(valid, extremes)


def alerts() -> st.SearchStrategy[dict[str, Any]]:
    """Ops alerts with fields at the extremes of their types."""
    valid = st.just(
        {
            "kind": "cpu",
            "severity": "warning",
            "state": "firing",
            "value": 1.0,
            "threshold": 0.5,
            "since": "2026-01-01T00:00:00Z",
            "at": "2026-01-01T00:00:00Z",
            "labels": {"group": "g"},
            "summary": "s",
        }
    )
    extremes = {
        "kind": EXTREME_TEXTS,
        "value": EXTREME_FLOATS,
        "threshold": EXTREME_FLOATS,
        "since": EXTREME_TIMES,
        "at": EXTREME_TIMES,
        "labels": st.dictionaries(EXTREME_TEXTS, EXTREME_TEXTS, max_size=40),
        "summary": EXTREME_TEXTS,
    }
    return at_extremes(valid, extremes)

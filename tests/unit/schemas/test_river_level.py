"""RiverLevelReading: strict, closed and bounded like the rain readings."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from schemas import MAX_STAGE_M, RiverLevelReading


def _reading(**changes: object) -> dict[str, object]:
    return {
        "sensor_id": "lowland-S55",
        "basin_id": "lowland",
        "reach_id": "lowland-R55",
        "sequence": 7,
        "observed_at": "2026-11-25T12:15:00Z",
        "stage_m": 1.42,
        **changes,
    }


def test_json_round_trip_is_lossless() -> None:
    """A level dumped to JSON validates back into an equal one, with its defaults filled in."""
    level = RiverLevelReading.model_validate_json(json.dumps(_reading()))
    assert RiverLevelReading.model_validate_json(level.model_dump_json()) == level
    assert level.observed_at == datetime(2026, 11, 25, 12, 15, tzinfo=UTC)
    assert (level.schema_version, level.quality) == (1, "good")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"stage_m": -0.1}, "greater_than_equal"),
        ({"stage_m": MAX_STAGE_M + 1}, "less_than_equal"),
        ({"stage_m": float("nan")}, "finite_number"),
        ({"stage_m": "1.4"}, "float_type"),
        ({"observed_at": "2026-11-25T12:15:00"}, "timezone_aware"),
        ({"reach_id": "no spaces"}, "string_pattern_mismatch"),
        ({"depth_m": 1.0}, "extra_forbidden"),
    ],
)
def test_bad_levels_are_refused(changes: dict[str, object], error: str) -> None:
    """Out-of-range, non-finite, loosely typed, naive-time, malformed or extra fields fail
    (decoded from JSON, as the stream decodes)."""
    with pytest.raises(ValidationError) as exc:
        RiverLevelReading.model_validate_json(json.dumps(_reading(**changes)))
    assert error in [e["type"] for e in exc.value.errors()]

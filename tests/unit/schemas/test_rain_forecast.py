"""RainForecast: strict, closed and bounded like the readings, with fixed-length step lists."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from pydantic import ValidationError

from schemas import FORECAST_STEPS, MAX_FORECAST_STEP_MM, RainForecast
from schemas.export import DEFAULT_FOLDER, schema_file_name


def _forecast(**changes: Any) -> dict[str, Any]:
    return {
        "forecast_id": "upland-20261125T1200",
        "basin_id": "upland",
        "issued_at": "2026-11-25T12:00:00Z",
        "areas": [
            {"area_id": "upland-G01", "rain_mm": [0.5] * FORECAST_STEPS},
            {"area_id": "upland-G02", "rain_mm": [0.0] * FORECAST_STEPS},
        ],
        **changes,
    }


def _area(rain_mm: list[Any], area_id: str = "upland-G01") -> list[dict[str, Any]]:
    return [{"area_id": area_id, "rain_mm": rain_mm}]


def _validator() -> jsonschema_rs.Validator:
    path = Path(DEFAULT_FOLDER, schema_file_name(RainForecast))
    return jsonschema_rs.validator_for(json.loads(path.read_text()))


def test_json_round_trip_is_lossless() -> None:
    """A forecast dumped to JSON validates back into an equal one, with its defaults filled."""
    forecast = RainForecast.model_validate_json(json.dumps(_forecast()))
    assert RainForecast.model_validate_json(forecast.model_dump_json()) == forecast
    assert forecast.issued_at == datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert forecast.valid_until == datetime(2026, 11, 25, 18, tzinfo=UTC)
    assert (forecast.schema_version, forecast.step_minutes) == (1, 15)
    assert forecast.rain_by_area()["upland-G01"] == (0.5,) * FORECAST_STEPS


BAD = [
    ({"areas": _area([-0.1] + [0.0] * (FORECAST_STEPS - 1))}, "greater_than_equal"),
    ({"areas": _area([MAX_FORECAST_STEP_MM + 0.1] * FORECAST_STEPS)}, "less_than_equal"),
    ({"areas": _area([0.0] * (FORECAST_STEPS - 1))}, "too_short"),
    ({"areas": _area([0.0] * (FORECAST_STEPS + 1))}, "too_long"),
    ({"areas": _area(["0.1"] * FORECAST_STEPS)}, "float_type"),
    ({"areas": []}, "too_short"),
    ({"areas": _area([0.0] * FORECAST_STEPS, "no spaces")}, "string_pattern_mismatch"),
    ({"issued_at": "2026-11-25T12:00:00"}, "timezone_aware"),
    ({"issued_at": "2099-12-31T00:00:00Z"}, "time_out_of_window"),
    ({"step_minutes": 5}, "literal_error"),
    ({"source": "radar"}, "extra_forbidden"),
]


@pytest.mark.parametrize(("changes", "error"), BAD, ids=[e for _, e in BAD])
def test_bad_forecasts_are_refused_by_model_and_json_schema(
    changes: dict[str, Any], error: str
) -> None:
    """Negative, oversized, mis-sized, loosely typed, naive-time or extra fields fail in the
    model (decoded from JSON, as the stream decodes) and, but for times, in the JSON Schema."""
    body = _forecast(**changes)
    with pytest.raises(ValidationError) as exc:
        RainForecast.model_validate_json(json.dumps(body))
    assert error in [e["type"] for e in exc.value.errors()]
    if "issued_at" not in changes:  # formats and time windows are annotations in JSON Schema
        assert not _validator().is_valid(body)


def test_values_at_the_bounds_are_accepted_by_model_and_json_schema() -> None:
    """Zero and the stated maximum per step are valid in both."""
    body = _forecast(areas=_area([0.0, MAX_FORECAST_STEP_MM] * (FORECAST_STEPS // 2)))
    RainForecast.model_validate_json(json.dumps(body))
    assert _validator().is_valid(body)


def test_non_finite_values_are_refused() -> None:
    """NaN and infinity are refused even from Python, where JSON could not carry them."""
    for value in (float("nan"), float("inf")):
        with pytest.raises(ValidationError):
            RainForecast.model_validate(
                {**_forecast(), "issued_at": datetime(2026, 11, 25, tzinfo=UTC)}
                | {"areas": _area([value] * FORECAST_STEPS)}
            )


def test_a_sub_area_listed_twice_is_refused() -> None:
    """Each sub-area appears once."""
    twice = _area([0.0] * FORECAST_STEPS) * 2
    with pytest.raises(ValidationError, match="listed twice"):
        RainForecast.model_validate_json(json.dumps(_forecast(areas=twice)))

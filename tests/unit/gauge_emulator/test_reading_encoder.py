"""ReadingEncoder: pre-serialised readings, byte-identical to the pydantic model's JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from floodcast.emulator import ReadingEncoder, format_observed_at
from floodcast.emulator.reading_encoder import json_float_matches_repr
from schemas import GaugeReading

GAUGES = ("upland-G01", "upland-G02", "x_y.z-9")


def _model_bytes(gauge: str, sequence: int, at: datetime, rain: float, volts: float) -> bytes:
    return (
        GaugeReading(
            gauge_id=gauge,
            basin_id="upland",
            sequence=sequence,
            observed_at=at,
            rainfall_mm=rain,
            battery_v=volts,
        )
        .model_dump_json()
        .encode()
    )


def test_matches_model_dump_json_over_the_value_range() -> None:
    """Every rainfall a gauge can report and every battery voltage give the model's bytes."""
    encoder = ReadingEncoder("upland", GAUGES)
    rng = np.random.default_rng(0)
    at = datetime(2026, 3, 1, 0, 15, tzinfo=UTC)
    rains = [round(0.2 * tips, 1) for tips in range(0, 376)]  # 0 .. 75 mm, the 15-min limit
    for i, rain in enumerate(rains):
        gauge = i % len(GAUGES)
        volts = round(float(rng.uniform(10.5, 13.2)), 2)
        sequence = int(rng.integers(0, 2**40))
        moment = at + timedelta(minutes=15 * i)
        expected = _model_bytes(GAUGES[gauge], sequence, moment, rain, volts)
        assert encoder.encode(gauge, sequence, format_observed_at(moment), rain, volts) == expected


def test_template_follows_the_interval() -> None:
    """A non-default interval is written into the template."""
    encoder = ReadingEncoder("upland", GAUGES[:1], interval_minutes=5)
    payload = encoder.encode(0, 1, "2026-01-01T00:05:00Z", 0.2, 12.0)
    assert GaugeReading.model_validate_json(payload).interval_minutes == 5


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 1, 0, 15, tzinfo=UTC),
        datetime(2026, 6, 30, 23, 45, 0, 500, tzinfo=UTC),
        datetime(2026, 6, 30, 23, 45, tzinfo=timezone(timedelta(hours=2))),
    ],
)
def test_observed_at_text_is_what_pydantic_writes_for_utc(moment: datetime) -> None:
    """Event times render as pydantic renders the same instant in UTC."""
    reading = GaugeReading(
        gauge_id="g", basin_id="b", sequence=0, observed_at=moment.astimezone(UTC), rainfall_mm=0
    )
    assert f'"observed_at":"{format_observed_at(moment)}"' in reading.model_dump_json()


def test_repr_check_spots_where_python_and_pydantic_differ() -> None:
    """Values flagged unsafe really serialise differently; safe ones do not."""
    for value in (0.0, 0.1, 12.61, 29.99, 1e-4):
        assert json_float_matches_repr(value)
        assert (
            f"{value!r}"
            in _model_bytes("g", 0, datetime(2026, 1, 1, tzinfo=UTC), 0.0, value).decode()
        )
    assert not json_float_matches_repr(1e-5)
    assert (
        repr(1e-5) not in _model_bytes("g", 0, datetime(2026, 1, 1, tzinfo=UTC), 0.0, 1e-5).decode()
    )

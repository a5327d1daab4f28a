"""Storms, rainfall fields, gauges, the storm climate and the preset storms."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from floodcast.catchment import (
    PRESET_STORMS,
    TIP_MM,
    InvalidStormError,
    RainCell,
    Storm,
    StormClimate,
    UnknownStormPresetError,
    preset_storm,
    rainfall_field,
    tipping_bucket,
)
from floodcast.catchment.gauges import gauge_readings
from tests.helpers.networks import y_basin


def _storm(**overrides: Any) -> Storm:
    fields: dict[str, Any] = {
        "start_step": 4,
        "duration_steps": 16,
        "centre_x_km": 0.0,
        "centre_y_km": 0.0,
        "velocity_x_kmh": 20.0,
        "velocity_y_kmh": 0.0,
        "radius_km": 5.0,
        "peak_mm_h": 30.0,
    }
    fields.update(overrides)
    return Storm(**fields)


@pytest.mark.parametrize(
    "overrides",
    [
        {"duration_steps": 0},
        {"radius_km": -1.0},
        {"peak_mm_h": -2.0},
        {"centre_x_km": float("nan")},
        {"peak_mm_h": 0.0},
        {"cells": (RainCell(0.0, 0.0, 3.0, 40.0, start_offset_steps=16),)},
    ],
)
def test_non_physical_storms_are_rejected(overrides: dict[str, Any]) -> None:
    """Bad durations, radii, rates, positions or cells raise InvalidStormError."""
    with pytest.raises(InvalidStormError):
        _storm(**overrides)


def test_rain_cell_rejects_non_positive_radius() -> None:
    """A rain cell needs a positive radius."""
    with pytest.raises(InvalidStormError):
        RainCell(0.0, 0.0, 0.0, 30.0)


def test_rain_falls_only_during_the_storm_and_follows_its_track() -> None:
    """Rain starts and stops with the storm, and a point downwind is hit later."""
    points = np.array([[0.0, 0.0], [40.0, 0.0], [0.0, 200.0]])
    field = rainfall_field([_storm()], points, 40)
    assert np.all(field[:4] == 0.0) and np.all(field[20:] == 0.0)
    assert field[:, 2].sum() == 0.0  # far off the track
    assert np.argmax(field[:, 1]) > np.argmax(field[:, 0])


def test_rain_depth_matches_the_rate() -> None:
    """A stationary storm at its plateau drops peak_mm_h * step hours at its centre."""
    field = rainfall_field([_storm(velocity_x_kmh=0.0)], np.zeros((1, 2)), 40)
    assert field.max() == pytest.approx(30.0 * 0.25)


def test_tipping_bucket_reports_whole_tips_and_keeps_the_total() -> None:
    """Reports are multiples of 0.2 mm and never lag the caught total by a full tip."""
    rain = np.random.default_rng(3).gamma(0.5, 0.3, (500, 4))
    reported = tipping_bucket(rain)
    tips = reported / TIP_MM
    np.testing.assert_allclose(tips, np.round(tips), atol=1e-9)
    lag = np.cumsum(rain, 0) - np.cumsum(reported, 0)
    assert lag.min() > -1e-9 and lag.max() < TIP_MM


def test_gauge_readings_are_seeded() -> None:
    """The same generator seed gives the same readings; another seed other catch errors."""
    rain = np.random.default_rng(4).gamma(0.5, 1.0, (300, 3))
    first = gauge_readings(rain, np.random.default_rng(1))
    again = gauge_readings(rain, np.random.default_rng(1))
    other = gauge_readings(rain, np.random.default_rng(2))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert first.sum() == pytest.approx(rain.sum(), rel=0.1)


def test_climate_storms_are_separated_by_dry_spells_and_realistic() -> None:
    """Drawn storms do not overlap, leave dry spells, and have kind-appropriate intensities."""
    storms = StormClimate().draw(y_basin(), 365 * 96, np.random.default_rng(5))
    assert 60 <= len(storms) <= 160
    gaps = [b.start_step - a.end_step for a, b in zip(storms, storms[1:], strict=False)]
    assert min(gaps) >= 24  # at least 6 h dry
    assert np.median(gaps) > 4 * 24  # median dry spell of days, not hours
    kinds = {s.kind for s in storms}
    assert kinds == {"convective", "frontal", "stalled"}
    for storm in storms:
        if storm.kind == "frontal":
            assert 2.0 <= storm.peak_mm_h <= 15.0 and storm.radius_km >= 30.0
        if storm.kind == "convective":
            assert all(20.0 <= c.peak_mm_h <= 80.0 and c.radius_km <= 8.0 for c in storm.cells)


def test_climate_has_convective_summers_and_frontal_winters() -> None:
    """Convective storms make up a larger share of summer storms than of winter storms."""
    storms = StormClimate().draw(y_basin(), 3 * 365 * 96, np.random.default_rng(6))
    day = np.array([(s.start_step // 96) % 365 for s in storms])
    convective = np.array([s.kind == "convective" for s in storms])
    summer = (day > 150) & (day < 240)
    winter = (day < 60) | (day > 330)
    assert convective[summer].mean() > 2 * convective[winter].mean()


@pytest.mark.parametrize("name", sorted(PRESET_STORMS))
def test_presets_rain_on_the_basin(name: str) -> None:
    """Each preset puts heavy rain on the basin it is aimed at, starting at the given step."""
    basin = y_basin()
    storm = preset_storm(name, basin, start_step=10)
    assert storm.kind == name
    field = rainfall_field([storm], basin.centroid_xy_km, 200)
    assert np.all(field[:10] == 0.0)
    assert field.sum(0).max() > 20.0


def test_unknown_preset_is_rejected() -> None:
    """Asking for a preset that does not exist raises UnknownStormPresetError (a KeyError)."""
    with pytest.raises(UnknownStormPresetError, match="hurricane"):
        preset_storm("hurricane", y_basin())
    with pytest.raises(KeyError):
        preset_storm("hurricane", y_basin())

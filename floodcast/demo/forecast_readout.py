"""Each basin's latest rain forecast, as the rain it expects over the next hours, for the demo
screen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from converters.features.spec import STEPS_PER_HOUR
from converters.river_network import Basin
from schemas import RainForecast

WINDOW_HOURS = (1, 6)
"""Accumulations shown: the next hour and the forecast's whole six hours."""


def forecast_areas(basins: Iterable[Basin]) -> dict[str, frozenset[str]]:
    """The sub-areas (gauge ids) of every basin, by basin id."""
    return {basin.basin_id: frozenset(basin.gauge_ids) for basin in basins}


@dataclass
class ForecastReadout:
    """The latest forecast of each known basin.

    Args:
        areas: the basins to show and their sub-areas; a forecast of any other basin, or
            naming a sub-area the basin does not have, is not shown.
    """

    areas: Mapping[str, frozenset[str]] = field(default_factory=dict)
    latest: dict[str, RainForecast] = field(default_factory=dict)

    def add(self, forecast: RainForecast) -> bool:
        """Keep ``forecast`` if its basin and sub-areas are known and it was issued after the
        basin's latest; whether it was kept."""
        known = self.areas.get(forecast.basin_id)
        if known is None or not {area.area_id for area in forecast.areas} <= known:
            return False
        latest = self.latest.get(forecast.basin_id)
        if latest is not None and forecast.issued_at <= latest.issued_at:
            return False
        self.latest[forecast.basin_id] = forecast
        return True

    def basins(self) -> set[str]:
        """Basins with a forecast shown."""
        return set(self.latest)

    def text(self, basin_id: str) -> str:
        """``1 h 2.1 · 6 h 18.4 mm (wettest G03 31.0) · 12:00``: the rain expected over the
        basin (mean of its forecast sub-areas) in the next hour and six hours, the wettest
        sub-area's six hours, and when the forecast was issued."""
        forecast = self.latest.get(basin_id)
        if forecast is None:
            return "–"
        rain = forecast.rain_by_area()
        means = [
            sum(sum(steps[: hours * STEPS_PER_HOUR]) for steps in rain.values()) / len(rain)
            for hours in WINDOW_HOURS
        ]
        wettest = max(rain, key=lambda area: sum(rain[area]))
        shown = " · ".join(f"{h} h {mm:.1f}" for h, mm in zip(WINDOW_HOURS, means, strict=True))
        return (
            f"{shown} mm (wettest {wettest} {sum(rain[wettest]):.1f}) · {forecast.issued_at:%H:%M}"
        )

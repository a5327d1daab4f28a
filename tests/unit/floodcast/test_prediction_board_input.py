"""Issue 12: the demo screen takes any message on its topics, and renders what it took."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from floodcast.catchment import get_basin
from floodcast.demo.forecast_readout import ForecastReadout, forecast_areas
from floodcast.demo.level_readout import LevelReadout, sensor_sites
from floodcast.demo.prediction_board import PredictionBoard
from schemas import RainForecast, RiverLevelReading
from tests.helpers import hostile

UPLAND = sensor_sites([get_basin("upland")])
UPLAND_AREAS = forecast_areas([get_basin("upland")])
T0 = datetime(2026, 1, 1, tzinfo=UTC)

EXAMPLES = 200


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    predictions=st.lists(
        st.one_of(st.none(), hostile.any_bytes(hostile.predictions())), max_size=4
    ),
    observations=st.lists(
        st.one_of(st.none(), hostile.any_bytes(hostile.observations())), max_size=4
    ),
    levels=st.lists(
        st.one_of(
            st.none(),
            hostile.any_bytes(
                hostile.river_levels("upland", {s: site.reach_id for s, site in UPLAND.items()}, T0)
            ),
        ),
        max_size=4,
    ),
    forecasts=st.lists(
        st.one_of(
            st.none(),
            hostile.any_bytes(hostile.rain_forecasts("upland", UPLAND_AREAS["upland"], T0)),
        ),
        max_size=4,
    ),
)
def test_board_takes_any_message_and_renders(
    predictions: list[bytes | None],
    observations: list[bytes | None],
    levels: list[bytes | None],
    forecasts: list[bytes | None],
) -> None:
    """Each message is shown or counted as unreadable; the table renders whatever was shown."""
    board = PredictionBoard(levels=LevelReadout(UPLAND), forecasts=ForecastReadout(UPLAND_AREAS))
    predicted = sum(board.take_prediction(raw) for raw in predictions)
    observed = sum(board.take_observation(raw) for raw in observations)
    leveled = sum(board.take_level(raw) for raw in levels)
    forecast = sum(board.take_forecast(raw) for raw in forecasts)
    assert board.predictions_seen == predicted
    assert predicted + observed + leveled + forecast + board.unreadable == (
        len(predictions) + len(observations) + len(levels) + len(forecasts)
    )
    out = io.StringIO()
    Console(file=out, width=120).print(board.render("status"))
    assert "predicted flood paths" in out.getvalue()


def _level(sensor: str, minutes: int, ratio: float) -> bytes:
    site = UPLAND[sensor]
    return (
        RiverLevelReading(
            sensor_id=sensor,
            basin_id="upland",
            reach_id=site.reach_id,
            sequence=minutes,
            observed_at=T0 + timedelta(minutes=minutes),
            stage_m=round(site.bankfull_m * ratio, 3),
        )
        .model_dump_json()
        .encode()
    )


def test_board_shows_the_outlet_first_then_the_highest_levels_with_their_trend() -> None:
    """Beside the basin: the outlet's level over bankfull with its trend, then the highest of
    the other sensors; an older level or a sensor the screen does not know changes nothing."""
    board = PredictionBoard(levels=LevelReadout(UPLAND))
    outlet = next(s for s, site in UPLAND.items() if site.outlet)
    others = [s for s in UPLAND if s != outlet]
    for sensor, ratio in [(outlet, 0.7), (others[0], 0.3), (others[1], 1.1), (others[2], 0.5)]:
        assert board.take_level(_level(sensor, 0, ratio))
    assert board.take_level(_level(outlet, 15, 0.82))
    assert board.take_level(_level(others[1], 15, 1.05))
    text = board.levels.text("upland")
    assert board.take_level(_level(outlet, 5, 0.1))  # a level, older than the one shown
    assert board.take_level(_level(others[0], 30, 0.9).replace(b"upland-S", b"upland-X"))
    assert board.levels.text("upland") == text
    reach = UPLAND[others[1]].reach_id
    assert text.startswith("outlet 0.82× ↑ · [red]" + reach + " 1.05× ↓[/red] · ")
    assert text.count("·") == 2 + 1  # three sensors and the trend mark of a first reading
    out = io.StringIO()
    Console(file=out, width=200).print(board.render("status"))
    assert "outlet 0.82×" in out.getvalue()


def _forecast(minutes: int, rain_mm: dict[str, list[float]], basin: str = "upland") -> bytes:
    message = {
        "forecast_id": f"f{minutes}",
        "basin_id": basin,
        "issued_at": (T0 + timedelta(minutes=minutes)).isoformat(),
        "areas": [{"area_id": a, "rain_mm": r} for a, r in rain_mm.items()],
    }
    return RainForecast.model_validate_json(json.dumps(message)).model_dump_json().encode()


def test_board_shows_the_latest_forecast_as_the_rain_it_expects() -> None:
    """Beside the basin: the mean rain its forecast sub-areas expect in the next hour and six
    hours, the wettest sub-area and the issue time; an older forecast, one of an unknown basin
    or naming a sub-area the basin does not have changes nothing."""
    gauges = sorted(UPLAND_AREAS["upland"])
    board = PredictionBoard(forecasts=ForecastReadout(UPLAND_AREAS))
    # 1 mm a step in the first hour on one area, 0.5 mm every step on another
    first = [1.0] * 4 + [0.0] * 20
    assert board.take_forecast(_forecast(15, {gauges[0]: first, gauges[1]: [0.5] * 24}))
    text = board.forecasts.text("upland")
    assert text == f"1 h 3.0 · 6 h 8.0 mm (wettest {gauges[1]} 12.0) · 00:15"
    assert board.take_forecast(_forecast(0, {gauges[0]: [9.0] * 24}))  # older
    assert board.take_forecast(_forecast(30, {"not-a-gauge": [9.0] * 24}))
    assert board.take_forecast(_forecast(30, {gauges[0]: [9.0] * 24}, basin="lowland"))
    assert board.forecasts.text("upland") == text
    assert board.forecasts.text("lowland") == "–"
    out = io.StringIO()
    Console(file=out, width=250).print(board.render("status"))
    assert "6 h 8.0 mm" in out.getvalue()

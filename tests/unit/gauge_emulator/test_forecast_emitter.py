"""The emulator's rain forecasts: one valid RainForecast per basin per issue, keyed by basin,
carrying the simulator's degraded forecasts and sent on their own topic."""

from __future__ import annotations

import numpy as np

from floodcast.catchment import Simulation, get_basin, preset_storm, simulate
from floodcast.emulator import publish_plan
from floodcast.emulator.forecast_emitter import ForecastEmitter
from schemas import FORECAST_STEPS, RainForecast
from tests.unit.gauge_emulator.planning import plan
from tests.unit.gauge_emulator.test_send_loop import RecordingPublisher, _planner


def test_no_forecast_is_planned_unless_asked(upland_run: Simulation) -> None:
    """By default a run carries readings and observations only."""
    batches, planner = plan([upland_run])
    assert all(batch.forecasts == [] for batch in batches)
    assert planner.tally.forecasts == 0


def test_each_basin_gets_one_forecast_per_issue(upland_run: Simulation) -> None:
    """Two basins, hourly issues (bar outages): each forecast is keyed by its basin, issued at
    the end of its step, covers every gauge area for 24 steps and passes the schema."""
    midvale = get_basin("midvale")
    other = simulate(midvale, days=2, seed=3, storms=[preset_storm("stalled", midvale, 8)])
    batches, planner = plan([upland_run, other], forecasts=True)
    runs = {run.basin.basin_id: run for run in (upland_run, other)}
    seen: dict[str, list[int]] = {basin: [] for basin in runs}
    for batch in batches:
        for key, value in batch.forecasts:
            forecast = RainForecast.model_validate_json(value)
            assert key == forecast.basin_id.encode()
            assert forecast.issued_at == batch.observed_at
            gauges = runs[forecast.basin_id].basin.gauge_ids
            assert [area.area_id for area in forecast.areas] == list(gauges)
            assert all(len(area.rain_mm) == FORECAST_STEPS for area in forecast.areas)
            seen[forecast.basin_id].append(batch.step)
    for basin, steps in seen.items():
        assert steps and all(step % 4 == 3 for step in steps), basin  # hourly, bar outages
    assert planner.tally.forecasts == sum(len(s) for s in seen.values())
    assert planner.tally.forecasts == len({(k, v) for b in batches for k, v in b.forecasts})


def test_the_messages_carry_the_simulated_forecasts(upland_run: Simulation) -> None:
    """A forecast's values are the simulator's degraded forecast for that issue, the same for
    the same seed; some rain is forecast during the storm."""
    emitter = ForecastEmitter(upland_run, seed=4)
    record = emitter.record
    np.testing.assert_array_equal(
        ForecastEmitter(upland_run, seed=4).record.rain_mm, record.rain_mm
    )
    step = int(record.issue_step[np.argmax(record.rain_mm.sum(axis=(1, 2)))])
    forecast = emitter.message(step, upland_run.start)
    assert forecast is not None
    values = np.array([area.rain_mm for area in forecast.areas]).T
    np.testing.assert_allclose(values, record.rain_mm[list(record.issue_step).index(step)])
    assert values.sum() > 1.0
    assert emitter.message(step + 1, upland_run.start) is None


def test_the_send_loop_puts_forecasts_on_their_topic(upland_run: Simulation) -> None:
    """Forecasts go to the forecasts topic, counted in the report; readings are unchanged."""
    planner = _planner(upland_run, forecasts=True, observations=False, river_levels=False)
    publisher = RecordingPublisher()
    report = publish_plan(planner, publisher)
    topic = planner.config.forecasts_topic
    assert topic == "rain-forecasts"
    sent = [value for t, _, value, _ in publisher.sent if t == topic]
    assert len(sent) == report.forecasts_sent > 0
    assert report.produced == report.readings_messages + report.forecasts_sent

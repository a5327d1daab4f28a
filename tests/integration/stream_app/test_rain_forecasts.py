"""Issue 11: the emulator's rain forecasts reach a real worker's flood paths, and are accounted
for on their own topic like the rain."""

from __future__ import annotations

from pathlib import Path

import pytest

from floodcast.catchment import get_basin, preset_storm, simulate
from floodcast.emulator import EmulatorConfig, Pacing, run_emulator
from schemas import FloodPathPrediction
from schemas.settings import Settings
from tests.integration.stream_app.conftest import STORM_BASIN, WorkerFactory
from tests.integration.stream_app.kafka_io import consume_all, wait_for_accounting
from tests.integration.stream_app.reference import offline_outcomes, outcome

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_rain_forecasts_reach_the_paths_and_balance_on_their_topic(
    worker_settings: Settings, storm_package: Path, start_worker: WorkerFactory
) -> None:
    """The emulator's rain and hourly forecasts through a real worker: the forecast topic's
    counts balance (sent = scored + pending + deduplicated + dead-lettered), none is refused
    but as too late, and the published paths are closer to those of the readings with the
    forecasts than to those without."""
    settings = worker_settings.model_copy(update={"model_path": storm_package})
    basin = get_basin(STORM_BASIN)
    sim = simulate(basin, days=1, seed=21, storms=[preset_storm("stalled", basin, 24)])
    config = EmulatorConfig(
        readings_topic=settings.topic_readings,
        forecasts_topic=settings.topic_rain_forecasts,
        partitions=settings.readings_partitions,
        observations=False,
        river_levels=False,
        forecasts=True,
        seed=8,
        pacing=Pacing.speedup(9_000),  # a step every 0.1 s: the worker keeps up
    )
    start_worker(settings)
    report = run_emulator(config, bootstrap=settings.bootstrap_servers, simulations=[sim])
    report.raise_for_failures()
    assert report.forecasts_sent >= 12

    topic = settings.topic_rain_forecasts
    snapshot = wait_for_accounting(
        settings.bootstrap_servers,
        settings.app_id,
        lambda s: (
            s.totals.total >= report.readings_messages
            and s.topic_totals(topic).total >= report.forecasts_sent
        ),
    )
    rain, forecasts = snapshot.totals, snapshot.topic_totals(topic)
    assert rain.total == report.readings_messages
    assert forecasts.total == report.forecasts_sent
    assert forecasts.deduplicated == 0
    assert set(forecasts.dead_lettered) <= {"too_late"}
    too_late = forecasts.dead_letters
    assert forecasts.scored + forecasts.pending + too_late == report.forecasts_sent
    assert forecasts.pending <= 1 and too_late == 0  # one a slot late still joins the next

    with_forecasts = offline_outcomes(settings, config, sim, [(topic, "forecasts")])
    without_forecasts = offline_outcomes(settings, config, sim, [])
    published = consume_all(
        settings.bootstrap_servers,
        settings.topic_predictions,
        until=lambda ms: len(ms) >= len(with_forecasts),
    )
    outcomes = [outcome(FloodPathPrediction.model_validate_json(m.value())) for m in published]
    assert outcomes != without_forecasts, "forecasts must change what the worker publishes"
    assert len(set(outcomes) & set(with_forecasts)) > len(set(outcomes) & set(without_forecasts))

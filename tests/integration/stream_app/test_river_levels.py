"""Issue 11: the emulator's river levels reach a real worker's flood paths, and are accounted
for on their own topic like the rain."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from floodcast.catchment import get_basin, preset_storm, simulate
from floodcast.emulator import EmulatorConfig, FaultConfig, MessagePlanner, Pacing, run_emulator
from schemas import DeadLetter, FloodPathPrediction
from schemas.settings import Settings
from tests.integration.stream_app.conftest import STORM_BASIN, WorkerFactory
from tests.integration.stream_app.kafka_io import consume_all, wait_for_accounting
from tests.integration.stream_app.reference import offline_outcomes, outcome

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FAULTS = "duplicates=0.03,malformed=0.03"


def test_river_levels_reach_the_paths_and_balance_on_their_topic(
    worker_settings: Settings, storm_package: Path, start_worker: WorkerFactory
) -> None:
    """The emulator's rain and river levels (repeats and broken payloads in both) through a real
    worker: each topic's counts balance (sent = scored + pending + deduplicated + dead-lettered),
    the broken levels are on the dead-letter topic with their reasons and bytes, and the
    published paths are those of the readings with stage (exactly, when no level came too late
    for its slot), not those without it."""
    settings = worker_settings.model_copy(update={"model_path": storm_package})
    basin = get_basin(STORM_BASIN)
    sim = simulate(basin, days=1, seed=21, storms=[preset_storm("stalled", basin, 24)])
    config = EmulatorConfig(
        readings_topic=settings.topic_readings,
        river_levels_topic=settings.topic_river_levels,
        partitions=settings.readings_partitions,
        observations=False,
        faults=FaultConfig.parse(FAULTS),
        seed=8,
        pacing=Pacing.speedup(9_000),  # a step every 0.1 s: the worker keeps up
    )
    start_worker(settings)
    report = run_emulator(config, bootstrap=settings.bootstrap_servers, simulations=[sim])
    report.raise_for_failures()
    levels = report.river_levels
    assert levels is not None and levels.duplicates and sum(levels.malformed.values())

    topic = settings.topic_river_levels
    snapshot = wait_for_accounting(
        settings.bootstrap_servers,
        settings.app_id,
        lambda s: (
            s.totals.total >= report.readings_messages
            and s.topic_totals(topic).total >= levels.messages
        ),
    )
    rain, stage = snapshot.totals, snapshot.topic_totals(topic)
    assert rain.total == report.readings_messages
    assert stage.total == levels.messages
    assert stage.deduplicated == levels.duplicates
    # a level read after its slot closed (the consumer had not fetched it yet) is too late
    too_late = stage.dead_lettered.get("too_late", 0)
    assert stage.scored + stage.pending + too_late == levels.valid_sent
    assert too_late <= levels.valid_sent // 20
    assert stage.scored >= levels.valid_sent - too_late - 2 * 5  # the last two steps may wait
    expected_letters = {r.value: n for r, n in levels.expected_dead_letters().items()}
    assert {r: n for r, n in stage.dead_lettered.items() if r != "too_late"} == expected_letters

    sent = {value for batch in MessagePlanner([sim], config) for _, value in batch.levels}
    letters = [
        DeadLetter.model_validate_json(m.value())
        for m in consume_all(
            settings.bootstrap_servers,
            settings.topic_dead_letters,
            until=lambda ms: len(ms) >= rain.dead_letters + stage.dead_letters,
        )
    ]
    on_levels = [letter for letter in letters if letter.topic == topic]
    reasons = Counter(letter.reason.value for letter in on_levels)
    assert reasons == Counter({**expected_letters, **({"too_late": too_late} if too_late else {})})
    assert all(bytes(letter.value) in sent for letter in on_levels)

    with_stage = offline_outcomes(settings, config, sim, [(topic, "levels")])
    without_stage = offline_outcomes(settings, config, sim, [])
    published = consume_all(
        settings.bootstrap_servers,
        settings.topic_predictions,
        until=lambda ms: len(ms) >= len(with_stage),
    )
    outcomes = [outcome(FloodPathPrediction.model_validate_json(m.value())) for m in published]
    assert outcomes != without_stage, "stage must change what the worker publishes"
    assert len(set(outcomes) & set(with_stage)) > len(set(outcomes) & set(without_stage))
    if not too_late:
        assert outcomes == with_stage

"""Issue 11: the emulator's river levels reach a real worker's flood paths, and are accounted
for on their own topic like the rain."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from floodcast.emulator import FaultConfig, MessagePlanner
from schemas import DeadLetter
from schemas.settings import Settings
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.kafka_io import consume_all
from tests.integration.stream_app.storm_feed import feed_storm

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
    topic = worker_settings.topic_river_levels
    feed = feed_storm(
        worker_settings,
        storm_package,
        start_worker,
        river_levels_topic=topic,
        faults=FaultConfig.parse(FAULTS),
    )
    settings, report = feed.settings, feed.report
    levels = report.river_levels
    assert levels is not None and levels.duplicates and sum(levels.malformed.values())

    snapshot = feed.accounting(topic, levels.messages)
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

    sent = {value for batch in MessagePlanner([feed.sim], feed.config) for _, value in batch.levels}
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

    with_stage = feed.offline([(topic, "levels")])
    without_stage = feed.offline([])
    outcomes = feed.published()
    assert outcomes != without_stage, "stage must change what the worker publishes"
    assert len(set(outcomes) & set(with_stage)) > len(set(outcomes) & set(without_stage))
    if not too_late:
        assert outcomes == with_stage

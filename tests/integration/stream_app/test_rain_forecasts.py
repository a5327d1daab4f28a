"""Issue 11: the emulator's rain forecasts reach a real worker's flood paths, and are accounted
for on their own topic like the rain."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.settings import Settings
from tests.integration.stream_app.conftest import WorkerFactory
from tests.integration.stream_app.storm_feed import feed_storm

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_rain_forecasts_reach_the_paths_and_balance_on_their_topic(
    worker_settings: Settings, storm_package: Path, start_worker: WorkerFactory
) -> None:
    """The emulator's rain and hourly forecasts through a real worker: the forecast topic's
    counts balance (sent = scored + pending + deduplicated + dead-lettered), none is refused
    but as too late, and the published paths are closer to those of the readings with the
    forecasts than to those without."""
    topic = worker_settings.topic_rain_forecasts
    feed = feed_storm(
        worker_settings,
        storm_package,
        start_worker,
        forecasts_topic=topic,
        river_levels=False,
        forecasts=True,
    )
    report = feed.report
    assert report.forecasts_sent >= 12

    snapshot = feed.accounting(topic, report.forecasts_sent)
    rain, forecasts = snapshot.totals, snapshot.topic_totals(topic)
    assert rain.total == report.readings_messages
    assert forecasts.total == report.forecasts_sent
    assert forecasts.deduplicated == 0
    assert set(forecasts.dead_lettered) <= {"too_late"}
    too_late = forecasts.dead_letters
    assert forecasts.scored + forecasts.pending + too_late == report.forecasts_sent
    assert forecasts.pending <= 1 and too_late == 0  # one a slot late still joins the next

    with_forecasts = feed.offline([(topic, "forecasts")])
    without_forecasts = feed.offline([])
    outcomes = feed.published()
    assert outcomes != without_forecasts, "forecasts must change what the worker publishes"
    assert len(set(outcomes) & set(with_forecasts)) > len(set(outcomes) & set(without_forecasts))

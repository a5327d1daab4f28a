"""A stalled storm over the storm basin, sent by the emulator to a real worker with side inputs:
the shared part of the river-level and rain-forecast tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from floodcast.catchment import Simulation, get_basin, preset_storm, simulate
from floodcast.emulator import EmulatorConfig, EmulatorReport, Pacing, run_emulator
from schemas import FloodPathPrediction
from schemas.settings import Settings
from stream_app.accounting.accounting_reader import AccountingSnapshot
from tests.integration.stream_app.conftest import STORM_BASIN, WorkerFactory
from tests.integration.stream_app.kafka_io import consume_to_end, wait_for_accounting
from tests.integration.stream_app.reference import Outcome, offline_outcomes, outcome


@dataclass(frozen=True)
class StormFeed:
    """What was sent, and to which worker."""

    settings: Settings
    sim: Simulation
    config: EmulatorConfig
    report: EmulatorReport

    def accounting(self, topic: str, sent: int) -> AccountingSnapshot:
        """The worker's accounting once it counted every reading and ``sent`` of ``topic``."""
        return wait_for_accounting(
            self.settings.bootstrap_servers,
            self.settings.app_id,
            lambda s: (
                s.totals.total >= self.report.readings_messages
                and s.topic_totals(topic).total >= sent
            ),
        )

    def offline(self, sides: Sequence[tuple[str, str]]) -> list[Outcome]:
        """What the worker should publish given the side inputs ``sides`` (see reference)."""
        return offline_outcomes(self.settings, self.config, self.sim, sides)

    def published(self) -> list[Outcome]:
        """Every path the worker published, read once ``accounting`` covered all it was sent.

        A batch's predictions are delivered before its counts are written, so none is still
        to come; how many there are is the stream's to say (a forecast read after its step's
        rain closed the slot joins the next one, and a path may be published a step late).
        """
        messages = consume_to_end(self.settings.bootstrap_servers, self.settings.topic_predictions)
        return [outcome(FloodPathPrediction.model_validate_json(m.value())) for m in messages]


def feed_storm(
    worker_settings: Settings, package: Path, start_worker: WorkerFactory, **inputs: Any
) -> StormFeed:
    """Start a worker on ``package`` and send it a day with a stalled storm, plus ``inputs``
    (``EmulatorConfig`` fields naming the side inputs, their topics and faults)."""
    settings = worker_settings.model_copy(update={"model_path": package})
    basin = get_basin(STORM_BASIN)
    sim = simulate(basin, days=1, seed=21, storms=[preset_storm("stalled", basin, 24)])
    config = EmulatorConfig(
        readings_topic=settings.topic_readings,
        partitions=settings.readings_partitions,
        observations=False,
        seed=8,
        pacing=Pacing.speedup(9_000),  # a step every 0.1 s: the worker keeps up
        **inputs,
    )
    start_worker(settings)
    report = run_emulator(config, bootstrap=settings.bootstrap_servers, simulations=[sim])
    report.raise_for_failures()
    return StormFeed(settings, sim, config, report)

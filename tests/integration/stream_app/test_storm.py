"""A simulated storm over a real basin yields flood paths that cover what floods in truth."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from floodcast.catchment import get_basin, preset_storm, simulate
from schemas import FloodPathPrediction
from schemas.settings import Settings
from tests.integration.stream_app.conftest import STORM_BASIN, WorkerFactory
from tests.integration.stream_app.kafka_io import consume_all, produce, wait_for_accounting
from tests.integration.stream_app.reference import prediction_key, reference_predictions

pytestmark = [pytest.mark.integration, pytest.mark.slow]

STORM_START_STEP = 96  # a dry first day, so the storm hits a settled feature history
SEED = 777  # not the training seed


def test_stalled_storm_paths_cover_the_flooded_reaches_in_order(
    worker_settings: Settings, storm_package: Path, start_worker: WorkerFactory
) -> None:
    """Readings of a simulated stalled storm give the same predictions as an offline run, and
    their paths name the reaches that flood in the simulation, earliest first, before they do."""
    settings = worker_settings.model_copy(update={"model_path": storm_package})
    basin = get_basin(STORM_BASIN)
    storm = preset_storm("stalled", basin, start_step=STORM_START_STEP)
    sim = simulate(basin, days=3, seed=SEED, storms=[storm])
    step = timedelta(minutes=sim.step_minutes)
    messages = [
        (
            basin.basin_id.encode(),
            json.dumps(
                {
                    "gauge_id": gauge,
                    "basin_id": basin.basin_id,
                    "sequence": t,
                    "observed_at": (sim.start + (t + 1) * step).isoformat(),
                    "interval_minutes": sim.step_minutes,
                    "rainfall_mm": round(float(sim.gauge_rain_mm[t, g]), 3),
                }
            ).encode(),
        )
        for t in range(sim.n_steps)
        for g, gauge in enumerate(basin.gauge_ids)
    ]

    start_worker(settings)
    produce(settings.bootstrap_servers, settings.topic_readings, messages)
    wait_for_accounting(
        settings.bootstrap_servers, settings.app_id, lambda s: s.totals.scored >= len(messages)
    )
    expected = reference_predictions(settings, messages)
    published = consume_all(
        settings.bootstrap_servers,
        settings.topic_predictions,
        until=lambda ms: len(ms) >= len(expected),
    )
    predictions = [FloodPathPrediction.model_validate_json(m.value()) for m in published]
    assert [prediction_key(p) for p in predictions] == expected

    flooded = {basin.reach_ids[i] for i in np.flatnonzero(sim.flooded.any(axis=0))}
    assert flooded, "the preset storm must flood something for this test to mean anything"
    on_paths = {reach.reach_id for p in predictions for reach in p.reaches}
    recall = len(flooded & on_paths) / len(flooded)
    assert recall >= 0.9, f"paths missed {sorted(flooded - on_paths)}"

    first_flood = sim.start + (int(np.flatnonzero(sim.flooded.any(axis=1))[0]) + 1) * step
    first_path = next(p for p in predictions if p.reaches)
    assert first_path.watermark <= first_flood, "the path must come before the flood"

    for prediction in predictions:
        order = [(r.eta_minutes, -r.reaches_to_outlet) for r in prediction.reaches]
        assert order == sorted(order), "paths run by ETA, then from upstream to downstream"
        assert all(r.eta_minutes <= prediction.horizon_hours * 60 for r in prediction.reaches)

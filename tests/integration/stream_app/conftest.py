"""Worker settings on per-test topics, model packages, and worker processes for them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from floodcast.training.package_builder import build_package
from floodcast.training.trainer import TrainingConfig
from floodcast.worker_process import WorkerProcess
from schemas.settings import Settings
from tests.helpers.training import FAST_TRAINING
from tests.unit.stream_app.toy_package import write_toy_package

WorkerFactory = Callable[[Settings], WorkerProcess]
"""``start_worker(settings) -> a started WorkerProcess`` (stopped after the test)."""

STORM_BASIN = "upland"
"""The smallest built-in basin: the storm test's model trains on it in seconds."""


@pytest.fixture(scope="session")
def toy_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model over the toy basin (accounting and restart tests)."""
    return write_toy_package(tmp_path_factory.mktemp("toy") / "package")


@pytest.fixture(scope="session")
def storm_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained on 60 simulated days of the upland basin (about 15 s)."""
    folder = tmp_path_factory.mktemp("upland") / "package"
    build_package(TrainingConfig(days=60, basins=(STORM_BASIN,), **FAST_TRAINING), folder)
    return folder


@pytest.fixture
def worker_settings(
    kafka_bootstrap: str, kafka_admin: AdminClient, toy_package: Path, tmp_path: Path
) -> Iterator[Settings]:
    """Settings with a unique app id and topics; every topic they lead to is deleted after."""
    suffix = uuid.uuid4().hex[:10]
    settings = Settings(
        kafka_bootstrap=kafka_bootstrap,
        app_id=f"it-worker-{suffix}",
        topic_readings=f"it-readings-{suffix}",
        topic_river_levels=f"it-river-levels-{suffix}",
        topic_rain_forecasts=f"it-rain-forecasts-{suffix}",
        topic_predictions=f"it-predictions-{suffix}",
        topic_dead_letters=f"it-readings-{suffix}.dlq",
        topic_alerts=f"it-alerts-{suffix}",
        readings_partitions=2,
        batch_size=200,
        batch_window_seconds=0.1,
        worker_web_enabled=False,
        model_path=toy_package,
        data_dir=tmp_path / "data",
        log_level="INFO",
    )
    yield settings
    existing = set(kafka_admin.list_topics(timeout=30).topics)
    ours = [
        t
        for t in existing
        if t.startswith(settings.app_id) or t.endswith(suffix) or t.endswith(f"{suffix}.dlq")
    ]
    if ours:
        for future in kafka_admin.delete_topics(ours, operation_timeout=30).values():
            future.exception(timeout=30)


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[WorkerFactory]:
    """Start workers whose JSON logs go under ``tmp_path``; all are stopped after the test."""
    started: list[WorkerProcess] = []

    def start(settings: Settings) -> WorkerProcess:
        worker = WorkerProcess(settings, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        worker.start()
        return worker

    yield start
    for worker in started:
        worker.stop()

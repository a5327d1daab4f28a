"""The demo runs end to end on a real broker: worker, simulated storm, paths on screen; also on
the secured local broker it starts itself."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from confluent_kafka.admin import (
    AdminClient,
)
from rich.console import Console

from floodcast.demo import DemoOptions, run_demo
from floodcast.kafka_local import KafkaJars, LocalBroker
from floodcast.kafka_local.acls import described_acls
from floodcast.kafka_local.settings_broker import broker_config
from floodcast.training.package_builder import build_package
from floodcast.training.trainer import TrainingConfig
from floodcast.worker_process import WorkerProcess
from schemas.settings import Settings
from tests.fixtures.broker import free_port_pair
from tests.helpers.training import FAST_TRAINING

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def upland_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-model") / "package"
    build_package(TrainingConfig(days=60, basins=("upland",), **FAST_TRAINING), folder)
    return folder


def test_demo_shows_flood_paths_and_cleans_up(
    kafka_bootstrap: str, kafka_admin: AdminClient, upland_package: Path, tmp_path: Path
) -> None:
    """A stalled storm over the upland basin yields flood paths beside the river levels and
    the rain forecast; the run's topics are removed."""
    settings = Settings(
        kafka_bootstrap=kafka_bootstrap,
        model_path=upland_package,
        data_dir=tmp_path,
        worker_web_enabled=False,
    )
    screen = io.StringIO()
    options = DemoOptions(basins=("upland",), storm="stalled", hours=8, speedup=900)
    board = run_demo(settings, options, Console(file=screen, width=160))
    assert board.predictions_seen > 0
    prediction = board.predictions["upland"]
    assert prediction.model.sha256
    assert "upland" in screen.getvalue()
    assert board.flooded_reaches, "the storm must flood reaches for the demo to show"
    assert board.flooded_reaches & board.predicted_reaches
    assert board.levels.basins() == {"upland"}  # the stage sensors' levels reached the screen
    assert "outlet " in board.levels.text("upland") and "outlet " in screen.getvalue()
    assert board.forecasts.basins() == {"upland"}  # the forecasts reached the screen
    assert board.forecasts.text("upland").startswith("1 h ")
    leftovers = [t for t in kafka_admin.list_topics(timeout=10).topics if t.startswith("demo-")]
    assert leftovers == []


def test_demo_on_its_secured_broker_runs_each_part_as_its_user(
    kafka_jars: KafkaJars,
    upland_package: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With FLOODCAST_BROKER_SECURITY=sasl_ssl the demo starts the secured broker, runs the
    worker as ``worker`` and the screen as ``monitor``, shows flood paths, and leaves neither
    the run's topics nor its ACLs behind."""
    port, controller_port = free_port_pair()
    settings = Settings(
        broker_security="sasl_ssl",
        broker_port=port,
        controller_port=controller_port,
        kafka_version=kafka_jars.version,
        cache_dir=kafka_jars.libs_dir.parent.parent,
        data_dir=tmp_path / "state",
        model_path=upland_package,
        worker_web_enabled=False,
        metrics_enabled=False,
    )
    workers: list[WorkerProcess] = []

    class RecordedWorker(WorkerProcess):
        """The demo's worker, kept for the test to look at its settings."""

        def __init__(self, settings: Settings, log_path: Path) -> None:
            super().__init__(settings, log_path)
            workers.append(self)

    monkeypatch.setattr("floodcast.demo.session.WorkerProcess", RecordedWorker)
    monkeypatch.chdir(tmp_path)  # the worker keeps its Faust data in the working directory
    screen = io.StringIO()
    options = DemoOptions(basins=("upland",), storm="stalled", hours=6, speedup=1800)
    board = run_demo(settings, options, Console(file=screen, width=240))

    assert board.predictions_seen > 0
    assert board.levels.basins() == {"upland"}  # river levels written as emulator, read as monitor
    assert board.forecasts.basins() == {"upland"}  # and so are the rain forecasts
    [worker] = workers
    assert (worker.settings.kafka_security_protocol, worker.settings.kafka_sasl_username) == (
        "SASL_SSL",
        "worker",
    )
    shown = screen.getvalue()
    for line in (
        "stream worker as worker",
        "gauge emulator as emulator",
        "flood observations as observer",
        "screen as monitor",
    ):
        assert line in shown
    run_names = ("demo-", worker.settings.app_id)

    # the demo stopped the broker it started: start it again to see what the run left, on
    # other ports (the old ones may linger in TIME_WAIT)
    port, controller_port = free_port_pair()
    again = settings.model_copy(update={"broker_port": port, "controller_port": controller_port})
    config = broker_config(again)
    broker = LocalBroker(kafka_jars, config)
    assert not broker.status().running
    broker.start()
    try:
        admin = AdminClient(config.client_config())
        topics = admin.list_topics(timeout=10).topics
        acls = described_acls(admin, timeout=10)
    finally:
        broker.stop()
    assert [t for t in topics if t.startswith(run_names)] == []
    assert [b for b in acls if b.name.startswith(run_names)] == []

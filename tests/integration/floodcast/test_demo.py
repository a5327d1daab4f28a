"""The demo runs end to end on a real broker: worker, simulated storm, paths on screen."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient
from rich.console import Console

from converters.package_builder import build_package
from converters.training_config import TrainingConfig
from floodcast.demo import DemoOptions, run_demo
from floodcast.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def upland_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-model") / "package"
    build_package(TrainingConfig(days=60, basins=("upland",)), folder)
    return folder


def test_demo_shows_flood_paths_and_cleans_up(
    kafka_bootstrap: str, kafka_admin: AdminClient, upland_package: Path, tmp_path: Path
) -> None:
    """A stalled storm over the upland basin yields flood paths; the run's topics are removed."""
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
    leftovers = [t for t in kafka_admin.list_topics(timeout=10).topics if t.startswith("demo-")]
    assert leftovers == []

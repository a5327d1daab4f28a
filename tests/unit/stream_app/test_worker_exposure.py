"""Issue 13: the worker's web server and metrics listen on loopback, faust's data pages off."""

from __future__ import annotations

import socket
from pathlib import Path

from floodcast.monitoring.worker_monitoring import WorkerMonitoring
from schemas.settings import Settings
from stream_app.app import create_app
from stream_app.scoring.flood_scorer import FloodPathScorer
from tests.helpers.listeners import listening_addresses

DATA_PAGES = {"/table", "/router", "/graph"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _served_prefixes(settings: Settings, scorer: FloodPathScorer) -> set[str]:
    app = create_app(settings, scorer)
    return {prefix for prefix, _ in app.web._enabled_blueprints()}


def test_the_worker_web_server_binds_loopback_by_default(
    toy_scorer: FloodPathScorer, tmp_path: Path
) -> None:
    """Faust's web server is bound to 127.0.0.1 unless FLOODCAST_WORKER_WEB_HOST says else."""
    app = create_app(Settings(data_dir=tmp_path), toy_scorer)
    assert app.conf.web_bind == "127.0.0.1"
    wide = create_app(Settings(data_dir=tmp_path, worker_web_host="0.0.0.0"), toy_scorer)  # nosec B104
    assert wide.conf.web_bind == "0.0.0.0"  # nosec B104


def test_faust_table_and_router_pages_are_off_unless_enabled(
    toy_scorer: FloodPathScorer, tmp_path: Path
) -> None:
    """Faust's /table, /router and /graph pages (table data, topology) are served only on demand."""
    assert not DATA_PAGES & _served_prefixes(Settings(data_dir=tmp_path), toy_scorer)
    enabled = Settings(data_dir=tmp_path, worker_web_faust_pages=True)
    assert _served_prefixes(enabled, toy_scorer) >= DATA_PAGES


def test_metrics_listen_on_loopback_by_default(toy_scorer: FloodPathScorer) -> None:
    """The worker's /metrics port is bound to 127.0.0.1 only, and closed at stop."""
    port = _free_port()
    settings = Settings(metrics_port=port, monitor_in_worker=False)
    monitoring = WorkerMonitoring(settings, toy_scorer.identity)
    monitoring.start()
    try:
        assert listening_addresses(port) == {"127.0.0.1"}
    finally:
        monitoring.stop()
    assert listening_addresses(port) == set()

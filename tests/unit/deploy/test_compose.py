"""docker-compose.yml describes a coherent stack (``docker compose config`` needs an engine)."""

from __future__ import annotations

from pathlib import Path

import yaml

from schemas.settings import Settings

COMPOSE = Path(__file__).parents[3] / "docker-compose.yml"


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_is_valid_yaml_with_the_stack() -> None:
    """Kafka, the worker and the emulator are services; the app images build from this repo."""
    services = _compose()["services"]
    assert {"kafka", "worker", "emulator"} <= services.keys()
    assert services["worker"]["build"] == "."
    assert services["worker"]["environment"]["FLOODCAST_KAFKA_BOOTSTRAP"] == "kafka:9092"


def test_compose_runs_the_kafka_release_the_project_tests() -> None:
    """The official Kafka image is the release the local broker runs, in KRaft mode."""
    kafka = _compose()["services"]["kafka"]
    assert kafka["image"] == f"apache/kafka:{Settings().kafka_version}"
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


def test_every_dependency_is_a_service() -> None:
    """depends_on names only services defined in the file."""
    services = _compose()["services"]
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= services.keys(), name

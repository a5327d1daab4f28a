"""Issue 13: each principal gets what it uses; gauges cannot write the observations they are
judged against."""

from __future__ import annotations

from confluent_kafka.admin import AclBinding

from floodcast.commands.broker import floodcast_acls
from floodcast.kafka_local import DEFAULT_USERS, worker_acls
from schemas.settings import Settings

Grant = tuple[str, str, str, str]


def _grants(bindings: list[AclBinding]) -> set[Grant]:
    return {
        (b.restype.name, b.name, b.resource_pattern_type.name, b.operation.name) for b in bindings
    }


def _writers(settings: Settings, topic: str) -> set[str]:
    return {
        b.principal
        for b in floodcast_acls(settings)
        if b.name == topic and b.operation.name in ("WRITE", "ALL")
    }


def test_the_worker_gets_no_all_and_no_transactional_id() -> None:
    """On its prefixed topics the worker may create, read, write, describe: no ALL, no delete."""
    bindings = worker_acls("worker", readings="r", outputs=["p"], app_id="app")
    granted = _grants(bindings)
    assert not {g for g in granted if g[3] in ("ALL", "DELETE", "ALTER", "ALTER_CONFIGS")}
    assert not {g for g in granted if g[0] == "TRANSACTIONAL_ID"}
    for operation in ("CREATE", "READ", "WRITE", "DESCRIBE"):
        assert ("TOPIC", "app", "PREFIXED", operation) in granted


def test_only_the_observer_writes_flood_observations() -> None:
    """flood-observations have one writer, ``observer``; the gauges' principal writes readings
    (and the river levels and rain forecasts it stands in for)."""
    settings = Settings()
    assert _writers(settings, settings.topic_observations) == {"User:observer"}
    assert _writers(settings, settings.topic_readings) == {"User:emulator"}
    emulator = {b for b in floodcast_acls(settings) if b.principal == "User:emulator"}
    assert {b.name for b in emulator} == {
        settings.topic_readings,
        settings.topic_river_levels,
        settings.topic_rain_forecasts,
    }
    assert "observer" in DEFAULT_USERS

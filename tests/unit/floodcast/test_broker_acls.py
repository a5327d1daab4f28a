"""``floodcast_acls``: which principal may touch which of the configured topics and groups."""

from __future__ import annotations

from collections import defaultdict

from floodcast.api.latest_predictions import GROUP_PREFIX
from floodcast.commands.broker import floodcast_acls
from schemas.settings import Settings
from stream_app.accounting.accounting_reader import accounting_changelog


def _resources(settings: Settings) -> dict[str, set[tuple[str, str]]]:
    """``principal -> {(resource type, name)}`` of every binding."""
    granted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for binding in floodcast_acls(settings):
        granted[binding.principal].add((binding.restype.name, binding.name))
    return granted


def test_every_principal_gets_the_configured_names() -> None:
    """Topics and the app id come from the settings; the API's group prefix is the follower's."""
    settings = Settings(
        monitor_in_worker=True,
        app_id="app",
        topic_readings="r",
        topic_predictions="p",
        topic_dead_letters="d",
        topic_alerts="a",
        topic_observations="o",
        topic_river_levels="l",
        topic_rain_forecasts="f",
    )
    granted = _resources(settings)
    assert set(granted) == {
        "User:worker",
        "User:emulator",
        "User:observer",
        "User:monitor",
        "User:api",
    }
    assert granted["User:emulator"] == {("TOPIC", "r"), ("TOPIC", "l"), ("TOPIC", "f")}
    assert granted["User:observer"] == {("TOPIC", "o")}
    assert granted["User:api"] == {("TOPIC", "p"), ("GROUP", GROUP_PREFIX)}
    assert granted["User:monitor"] == {
        ("GROUP", "app"),
        ("TOPIC", "r"),
        ("TOPIC", "l"),
        ("TOPIC", "f"),
        ("TOPIC", accounting_changelog("app")),
        ("TOPIC", "p"),
        ("TOPIC", "o"),
        ("TOPIC", "a"),
    }
    assert ("TOPIC", "o") in granted["User:worker"]
    assert {("TOPIC", "r"), ("TOPIC", "l"), ("TOPIC", "f")} <= granted["User:worker"]


def test_worker_follows_nothing_without_its_monitor() -> None:
    """A worker that runs no monitor is not allowed to read observations."""
    with_monitor = _resources(Settings(monitor_in_worker=True))["User:worker"]
    without = _resources(Settings(monitor_in_worker=False))["User:worker"]
    assert ("TOPIC", Settings().topic_observations) in with_monitor - without


def test_no_binding_is_repeated() -> None:
    """Grants two roles share (the worker writes and its monitor reads predictions) appear once."""
    bindings = floodcast_acls(Settings(monitor_in_worker=True))
    assert len(bindings) == len(set(bindings))

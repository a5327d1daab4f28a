"""The ACL bindings of Floodcast's principals, without a broker."""

from __future__ import annotations

from confluent_kafka.admin import AclBinding

from floodcast.kafka_local import api_acls, emulator_acls, monitor_acls, observer_acls, worker_acls

Grant = tuple[str, str, str, str]
"""``(resource type, name, pattern type, operation)`` of one binding."""


def _grants(bindings: list[AclBinding]) -> set[Grant]:
    return {
        (b.restype.name, b.name, b.resource_pattern_type.name, b.operation.name) for b in bindings
    }


def test_worker_acls_cover_its_group_and_internal_topics() -> None:
    """The worker may read readings and its app-id-prefixed groups/topics, and write outputs."""
    bindings = worker_acls("worker", readings="r", outputs=["p"], app_id="app")
    described = _grants(bindings)
    assert ("TOPIC", "r", "LITERAL", "READ") in described
    assert ("TOPIC", "r", "LITERAL", "WRITE") not in described
    assert ("TOPIC", "p", "LITERAL", "WRITE") in described
    assert ("TOPIC", "p", "LITERAL", "READ") not in described
    assert ("GROUP", "app", "PREFIXED", "READ") in described
    assert ("TOPIC", "app", "PREFIXED", "CREATE") in described
    assert {b.principal for b in bindings} == {"User:worker"}


def test_worker_acls_let_its_monitor_read_followed_topics_once() -> None:
    """Followed topics add read access, and an output it also follows is granted once."""
    bindings = worker_acls("worker", readings="r", outputs=["p"], app_id="app", follows=["p", "o"])
    described = _grants(bindings)
    assert {("TOPIC", "p", "LITERAL", "READ"), ("TOPIC", "o", "LITERAL", "READ")} <= described
    assert ("TOPIC", "o", "LITERAL", "WRITE") not in described
    assert len(bindings) == len(set(bindings))


def test_emulator_acls_write_readings_only() -> None:
    """The emulator (the gauges) may write readings, and nothing else."""
    bindings = emulator_acls("emulator", readings="r")
    assert _grants(bindings) == {
        ("TOPIC", "r", "LITERAL", "WRITE"),
        ("TOPIC", "r", "LITERAL", "DESCRIBE"),
    }
    assert {b.principal for b in bindings} == {"User:emulator"}


def test_observer_acls_write_observations_only() -> None:
    """The observer may write flood observations, and nothing else."""
    bindings = observer_acls("observer", observations="o")
    assert _grants(bindings) == {
        ("TOPIC", "o", "LITERAL", "WRITE"),
        ("TOPIC", "o", "LITERAL", "DESCRIBE"),
    }


def test_api_acls_read_predictions_in_prefixed_groups_only() -> None:
    """The API may read the predictions topic, in groups under its prefix, and nothing else."""
    bindings = api_acls("api", predictions="p", group_prefix="floodcast-api-")
    assert _grants(bindings) == {
        ("TOPIC", "p", "LITERAL", "READ"),
        ("TOPIC", "p", "LITERAL", "DESCRIBE"),
        ("GROUP", "floodcast-api-", "PREFIXED", "READ"),
    }
    assert {b.principal for b in bindings} == {"User:api"}


def test_monitor_acls_describe_the_group_read_followed_topics_and_publish_alerts() -> None:
    """The monitor may describe (not join) the watched group, read what it follows, and read,
    write and create the alerts topic; nothing is prefixed and nothing else is allowed."""
    bindings = monitor_acls("monitor", watched_group="app", follows=["r", "c"], alerts="a")
    assert _grants(bindings) == {
        ("GROUP", "app", "LITERAL", "DESCRIBE"),
        ("TOPIC", "r", "LITERAL", "READ"),
        ("TOPIC", "r", "LITERAL", "DESCRIBE"),
        ("TOPIC", "c", "LITERAL", "READ"),
        ("TOPIC", "c", "LITERAL", "DESCRIBE"),
        ("TOPIC", "a", "LITERAL", "READ"),
        ("TOPIC", "a", "LITERAL", "WRITE"),
        ("TOPIC", "a", "LITERAL", "DESCRIBE"),
        ("TOPIC", "a", "LITERAL", "CREATE"),
    }
    assert {b.principal for b in bindings} == {"User:monitor"}

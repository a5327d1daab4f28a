"""The ACLs of Floodcast's principals on a broker run with the StandardAuthorizer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from confluent_kafka import KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
)

from kafka_local.exceptions import AclError

__all__ = ["create_acls", "emulator_acls", "worker_acls"]

_ANY_HOST = "*"


def _allow(
    principal: str,
    kind: ResourceType,
    name: str,
    operations: Iterable[AclOperation],
    pattern: ResourcePatternType = ResourcePatternType.LITERAL,
) -> list[AclBinding]:
    return [
        AclBinding(kind, name, pattern, f"User:{principal}", _ANY_HOST, op, AclPermissionType.ALLOW)
        for op in operations
    ]


def worker_acls(
    principal: str, *, readings: str, outputs: Sequence[str], app_id: str
) -> list[AclBinding]:
    """The stream worker's ACLs.

    It reads ``readings`` in consumer groups named after ``app_id``, writes ``outputs``
    (predictions, dead letters, alerts), and owns every topic and transactional id prefixed by
    ``app_id`` (the changelogs and repartition topics Faust creates for its tables).

    Args:
        principal: the worker's SCRAM user name.
        readings: the gauge readings topic.
        outputs: topics the worker produces to.
        app_id: the Faust application id (its consumer group and internal-topic prefix).

    Returns:
        ALLOW bindings for ``User:<principal>``.
    """
    read, write, describe = AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE
    prefixed = ResourcePatternType.PREFIXED
    bindings = _allow(principal, ResourceType.TOPIC, readings, (read, describe))
    for topic in outputs:
        bindings += _allow(principal, ResourceType.TOPIC, topic, (write, describe))
    bindings += _allow(principal, ResourceType.GROUP, app_id, (read, describe), prefixed)
    bindings += _allow(principal, ResourceType.TOPIC, app_id, (AclOperation.ALL,), prefixed)
    bindings += _allow(
        principal, ResourceType.TRANSACTIONAL_ID, app_id, (write, describe), prefixed
    )
    return bindings


def emulator_acls(principal: str, *, readings: str) -> list[AclBinding]:
    """The gauge emulator's ACLs: it may only write ``readings``.

    Args:
        principal: the emulator's SCRAM user name.
        readings: the gauge readings topic.

    Returns:
        ALLOW bindings for ``User:<principal>``.
    """
    return _allow(
        principal, ResourceType.TOPIC, readings, (AclOperation.WRITE, AclOperation.DESCRIBE)
    )


def create_acls(admin: AdminClient, bindings: Sequence[AclBinding], timeout: float = 30.0) -> None:
    """Create ``bindings`` (existing ones are left as they are).

    Args:
        admin: a client authenticated as a super user.
        bindings: the ACLs.
        timeout: seconds to wait for the broker.

    Raises:
        AclError: the broker refused or did not answer.
    """
    if not bindings:
        return
    futures = admin.create_acls(list(bindings), request_timeout=timeout)
    for binding, future in futures.items():
        try:
            future.result(timeout=timeout)
        except KafkaException as exc:
            raise AclError(f"could not create {binding}") from exc

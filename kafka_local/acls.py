"""The ACLs of Floodcast's principals on a broker run with the StandardAuthorizer."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from confluent_kafka import KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
)

from kafka_local.exceptions import AclError

__all__ = ["create_acls", "emulator_acls", "worker_acls"]

_ANY_HOST = "*"
_APPLY_POLL_S = 0.05


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
    """Create ``bindings`` and wait until the broker enforces them.

    Existing bindings are left as they are and repeated ones count once. The controller
    acknowledges an ACL once it is in the metadata log; the broker's authorizer applies it a
    moment later, so a client started right after creation could still be refused. Waiting
    until the broker lists every binding closes that gap.

    Args:
        admin: a client authenticated as a super user.
        bindings: the ACLs.
        timeout: seconds to wait for the broker.

    Raises:
        AclError: the broker refused, did not answer, or did not apply the ACLs in time.
    """
    if not bindings:
        return
    # the client refuses a request that repeats a binding, which concatenated lists may do
    wanted = list(dict.fromkeys(bindings))
    futures = admin.create_acls(wanted, request_timeout=timeout)
    for binding, future in futures.items():
        try:
            future.result(timeout=timeout)
        except (KafkaException, TimeoutError) as exc:
            raise AclError(f"could not create {binding}") from exc
    deadline = time.monotonic() + timeout
    while missing := set(wanted) - _enforced(admin, timeout):
        if time.monotonic() > deadline:
            raise AclError(
                f"{len(missing)} ACLs not applied within {timeout} s, e.g. {missing.pop()}"
            )
        time.sleep(_APPLY_POLL_S)


def _enforced(admin: AdminClient, timeout: float) -> set[AclBinding]:
    """Every ACL the broker's authorizer holds now."""
    everything = AclBindingFilter(
        ResourceType.ANY,
        None,
        ResourcePatternType.ANY,
        None,
        None,
        AclOperation.ANY,
        AclPermissionType.ANY,
    )
    try:
        return set(admin.describe_acls(everything, request_timeout=timeout).result(timeout))
    except (KafkaException, TimeoutError) as exc:
        raise AclError("could not list the broker's ACLs") from exc

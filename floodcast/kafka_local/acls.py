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

from floodcast.kafka_local.exceptions import AclError

__all__ = [
    "api_acls",
    "create_acls",
    "delete_acls",
    "described_acls",
    "emulator_acls",
    "monitor_acls",
    "observer_acls",
    "worker_acls",
]

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
    principal: str,
    *,
    readings: str,
    outputs: Sequence[str],
    app_id: str,
    follows: Sequence[str] = (),
    side_inputs: Sequence[str] = (),
) -> list[AclBinding]:
    """The stream worker's ACLs.

    It reads ``readings`` in consumer groups named after ``app_id``, writes ``outputs``
    (predictions, dead letters, alerts), and may create, read, write and describe the topics
    prefixed by ``app_id`` (the changelogs and repartition topics Faust creates for its
    tables) — not delete or reconfigure them (issue 13: no ``ALL``), and no transactional id,
    since it processes at least once without transactions. The
    monitor running inside the worker uses the same principal: describing the worker's own
    group and reading its changelogs fall under the ``app_id`` prefix, and ``follows`` adds the
    topics it only reads, without a group.

    Args:
        principal: the worker's SCRAM user name.
        readings: the gauge readings topic.
        outputs: topics the worker produces to.
        app_id: the Faust application id (its consumer group and internal-topic prefix).
        follows: topics the in-worker monitor reads (predictions and flood observations, for
            its accuracy scores); empty when the worker runs no monitor.
        side_inputs: the other topics it consumes with the readings (river levels, rain
            forecasts).

    Returns:
        ALLOW bindings for ``User:<principal>``.
    """
    read, write, describe = AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE
    prefixed = ResourcePatternType.PREFIXED
    bindings = []
    for topic in (readings, *side_inputs):
        bindings += _allow(principal, ResourceType.TOPIC, topic, (read, describe))
    for topic in outputs:
        bindings += _allow(principal, ResourceType.TOPIC, topic, (write, describe))
    for topic in follows:
        bindings += _allow(principal, ResourceType.TOPIC, topic, (read, describe))
    bindings += _allow(principal, ResourceType.GROUP, app_id, (read, describe), prefixed)
    internal = (AclOperation.CREATE, read, write, describe, AclOperation.DESCRIBE_CONFIGS)
    bindings += _allow(principal, ResourceType.TOPIC, app_id, internal, prefixed)
    return list(dict.fromkeys(bindings))  # an output it also follows is described once


def emulator_acls(
    principal: str,
    *,
    readings: str,
    river_levels: str | None = None,
    forecasts: str | None = None,
) -> list[AclBinding]:
    """The gauges', stage sensors' and forecast provider's ACLs (the emulator stands in for
    them): they may only write ``readings``, ``river_levels`` and ``forecasts``.

    Flood observations, the ground truth the accuracy alerts verify predictions against, come
    from a principal of their own (:func:`observer_acls`): a gauge cannot forge them.

    Args:
        principal: the emulator's SCRAM user name.
        readings: the gauge readings topic.
        river_levels: the river-level readings topic, if the sensors publish.
        forecasts: the rain-forecasts topic, if the provider publishes.

    Returns:
        ALLOW bindings for ``User:<principal>``.
    """
    sides = [topic for topic in (river_levels, forecasts) if topic is not None]
    return _writer(principal, readings) + [b for topic in sides for b in _writer(principal, topic)]


def observer_acls(principal: str, *, observations: str) -> list[AclBinding]:
    """The flood observer's ACLs: it may only write ``observations``.

    Args:
        principal: the observer's SCRAM user name.
        observations: the flood observations topic.

    Returns:
        ALLOW bindings for ``User:<principal>``.
    """
    return _writer(principal, observations)


def _writer(principal: str, topic: str) -> list[AclBinding]:
    """Write (and describe, for metadata) on ``topic``, and nothing else."""
    return _allow(principal, ResourceType.TOPIC, topic, (AclOperation.WRITE, AclOperation.DESCRIBE))


def api_acls(principal: str, *, predictions: str, group_prefix: str) -> list[AclBinding]:
    """The REST API's ACLs: it reads ``predictions`` in groups of its own, and nothing else.

    Each API process follows the topic under a fresh group id starting with
    ``group_prefix`` and commits nothing. Kafka's READ implies DESCRIBE, which the group
    coordinator lookup needs.

    Args:
        principal: the API's SCRAM user name.
        predictions: the flood-path predictions topic.
        group_prefix: the start of every group id the API uses.

    Returns:
        ALLOW bindings for ``User:<principal>``.
    """
    read, describe = AclOperation.READ, AclOperation.DESCRIBE
    return _allow(principal, ResourceType.TOPIC, predictions, (read, describe)) + _allow(
        principal, ResourceType.GROUP, group_prefix, (read,), ResourcePatternType.PREFIXED
    )


def monitor_acls(
    principal: str, *, watched_group: str, follows: Sequence[str], alerts: str
) -> list[AclBinding]:
    """The standalone monitor's ACLs.

    It describes ``watched_group`` (members, state and committed offsets) without being able
    to join it or commit for it, reads ``follows`` by assignment (end offsets, timestamps and
    messages, no group), and publishes to ``alerts``, creating that topic when no worker has
    yet. It also reads ``alerts`` (the open alerts of ``floodcast status``).

    Args:
        principal: the monitor's SCRAM user name.
        watched_group: the worker's consumer group (its app id).
        follows: topics it reads: readings, the accounting changelog, predictions, flood
            observations.
        alerts: the ops alerts topic.

    Returns:
        ALLOW bindings for ``User:<principal>``.
    """
    read, describe = AclOperation.READ, AclOperation.DESCRIBE
    bindings = _allow(principal, ResourceType.GROUP, watched_group, (describe,))
    for topic in follows:
        bindings += _allow(principal, ResourceType.TOPIC, topic, (read, describe))
    bindings += _allow(
        principal,
        ResourceType.TOPIC,
        alerts,
        (AclOperation.WRITE, read, describe, AclOperation.CREATE),
    )
    return bindings


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
    while missing := set(wanted) - described_acls(admin, timeout):
        if time.monotonic() > deadline:
            raise AclError(
                f"{len(missing)} ACLs not applied within {timeout} s, e.g. {missing.pop()}"
            )
        time.sleep(_APPLY_POLL_S)


def delete_acls(
    admin: AdminClient, bindings: Sequence[AclBinding], timeout: float = 30.0
) -> list[AclBinding]:
    """Delete exactly ``bindings`` (each matched literally; missing ones are no error).

    Args:
        admin: a client authenticated as a super user.
        bindings: the ACLs.
        timeout: seconds to wait for the broker.

    Returns:
        The bindings the broker deleted.

    Raises:
        AclError: the broker refused or did not answer.
    """
    filters = [
        AclBindingFilter(
            b.restype,
            b.name,
            b.resource_pattern_type,
            b.principal,
            b.host,
            b.operation,
            b.permission_type,
        )
        for b in dict.fromkeys(bindings)
    ]
    if not filters:
        return []
    deleted: list[AclBinding] = []
    for binding_filter, future in admin.delete_acls(filters, request_timeout=timeout).items():
        try:
            deleted += future.result(timeout=timeout)
        except (KafkaException, TimeoutError) as exc:
            raise AclError(f"could not delete {binding_filter}") from exc
    return deleted


def described_acls(admin: AdminClient, timeout: float = 30.0) -> set[AclBinding]:
    """Every ACL the broker's authorizer holds now.

    Raises:
        AclError: the broker refused or did not answer.
    """
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

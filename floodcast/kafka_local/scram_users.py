"""SCRAM users added to a running broker, for users its storage was formatted without."""

from __future__ import annotations

from collections.abc import Mapping

from confluent_kafka import KafkaException
from confluent_kafka.admin import (
    AdminClient,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)

from floodcast.kafka_local.exceptions import ScramUserError

__all__ = ["SCRAM_ITERATIONS", "ensure_scram_users"]

SCRAM_ITERATIONS = 4096
"""Kafka's default (and SCRAM-SHA-512's minimum) iteration count, as ``--add-scram`` uses."""
_MECHANISM = ScramMechanism.SCRAM_SHA_512


def ensure_scram_users(
    admin: AdminClient, passwords: Mapping[str, str], timeout: float = 30.0
) -> list[str]:
    """Create the SCRAM-SHA-512 users of ``passwords`` that the broker does not know yet.

    ``kafka-storage format --add-scram`` creates users only with a new storage; a user added
    to the credentials later exists nowhere until this upserts it. Known users keep their
    credentials.

    Args:
        admin: a client authenticated as a super user.
        passwords: user names and their passwords.
        timeout: seconds to wait for the broker.

    Returns:
        The users created, in ``passwords`` order.

    Raises:
        ScramUserError: the broker refused or did not answer.
    """
    try:
        known = admin.describe_user_scram_credentials(request_timeout=timeout).result(timeout)
    except (KafkaException, TimeoutError) as exc:
        raise ScramUserError("could not list the broker's SCRAM users") from exc
    missing = [
        user
        for user in passwords
        if user not in known
        or all(info.mechanism != _MECHANISM for info in known[user].scram_credential_infos)
    ]
    if not missing:
        return []
    upserts = [
        UserScramCredentialUpsertion(
            user, ScramCredentialInfo(_MECHANISM, SCRAM_ITERATIONS), passwords[user].encode()
        )
        for user in missing
    ]
    futures = admin.alter_user_scram_credentials(upserts, request_timeout=timeout)
    for user, future in futures.items():
        try:
            future.result(timeout=timeout)
        except (KafkaException, TimeoutError) as exc:
            raise ScramUserError(f"could not create the SCRAM user {user!r}") from exc
    return missing

"""Create the tables' changelog topics before Faust starts.

Faust creates changelog topics itself at start, but when the consumer group join follows
within ~0.1 s, the join's metadata can still lack the new topic; the first table write then
fails with ``PartitionsMismatch`` ("changelog has 0 partitions") and the agent restarts in a
loop while a backlog waits. Creating them first, and waiting until the broker lists them,
removes the race.
"""

from __future__ import annotations

import time

from confluent_kafka.admin import AdminClient, NewTopic

from schemas.settings import Settings
from stream_app.accounting.accounting_reader import PARTITION_COUNTS_TABLE
from stream_app.exceptions import TopicCreationError, WorkerStartError
from stream_app.kafka import changelog_topic, client_config, create_topics

BASIN_STATE_TABLE = "basin-state"


def ensure_changelog_topics(settings: Settings, timeout: float = 30.0) -> list[str]:
    """Create the compacted changelog topics of the worker's tables when missing.

    Returns:
        The changelog topic names.

    Raises:
        WorkerStartError: a topic could not be created or did not appear within ``timeout``.
    """
    names = [
        changelog_topic(settings.app_id, t) for t in (BASIN_STATE_TABLE, PARTITION_COUNTS_TABLE)
    ]
    admin = AdminClient(client_config(settings))
    new = [
        NewTopic(
            name,
            settings.readings_partitions,
            settings.replication_factor,
            config={"cleanup.policy": "compact"},
        )
        for name in names
    ]
    try:
        create_topics(admin, new, timeout)
    except TopicCreationError as exc:
        raise WorkerStartError(f"changelog topics: {exc}") from exc
    deadline = time.monotonic() + timeout
    while not set(names) <= set(admin.list_topics(timeout=timeout).topics):
        if time.monotonic() > deadline:
            raise WorkerStartError(f"changelog topics {names} did not appear in {timeout:.0f} s")
        time.sleep(0.1)
    return names

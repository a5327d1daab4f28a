"""Creating Kafka topics that may already exist (another process may create them first)."""

from __future__ import annotations

from collections.abc import Sequence

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from floodcast.exceptions import TopicCreationError

__all__ = ["create_topics"]


def create_topics(admin: AdminClient, topics: Sequence[NewTopic], timeout: float) -> None:
    """Create ``topics``; a topic that exists already counts as created.

    Args:
        admin: a client allowed to create the topics.
        topics: what to create.
        timeout: seconds for the request and for each topic's answer.

    Raises:
        TopicCreationError: the broker refused a topic or did not answer in time.
    """
    if not topics:
        return
    for name, future in admin.create_topics(list(topics), operation_timeout=timeout).items():
        try:
            future.result(timeout=timeout)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise TopicCreationError(f"cannot create topic {name!r}: {exc}") from exc
        except TimeoutError as exc:
            raise TopicCreationError(f"creating topic {name!r} timed out") from exc

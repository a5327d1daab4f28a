"""Alert transitions as ``OpsAlert`` JSON on the ``ops-alerts`` topic."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from pydantic import ValidationError

from floodcast.monitoring.channels.alert_channel import AlertChannel
from floodcast.monitoring.exceptions import AlertPublishError, TopicTailError
from floodcast.monitoring.signals.topic_tail import TopicTail
from schemas import OpsAlert
from stream_app.json_logging import log_event

__all__ = ["KafkaAlertChannel", "alert_key", "record_transitions"]

logger = logging.getLogger(__name__)


def alert_key(alert: OpsAlert) -> bytes:
    """Message key: the alert's kind and labels, so one alert's transitions stay in order."""
    labels = ",".join(f"{k}={v}" for k, v in sorted(alert.labels.items()))
    return f"{alert.kind}|{labels}".encode()


def record_transitions(messages: Iterable[Message], latest: dict[bytes, OpsAlert]) -> None:
    """Note each alert in ``messages`` as the latest transition of its key in ``latest``.

    Messages that are not an ``OpsAlert`` are skipped: not ours to judge here.
    """
    for message in messages:
        try:
            alert = OpsAlert.model_validate_json(message.value() or b"")
        except ValidationError:
            continue
        latest[alert_key(alert)] = alert


class KafkaAlertChannel(AlertChannel):
    """Publishes each transition and waits for the broker's acknowledgement.

    Several monitors may watch the same worker group (one in each worker replica, or a
    standalone ``floodcast monitor`` beside them). With ``deduplicate`` the channel follows the
    alerts topic and leaves out a transition the topic already shows as the alert's latest
    state for the same breach (published at or after this breach began), so one breach is
    announced once; monitors whose rounds fall within the topic's round trip of each other may
    still both announce it.

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        topic: the alerts topic (it must exist; the worker declares it).
        timeout: seconds to wait for each acknowledgement.
        security: librdkafka security properties (SASL/TLS), merged into every client.
        deduplicate: skip transitions another monitor already published.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        *,
        timeout: float = 10.0,
        security: Mapping[str, str] | None = None,
        deduplicate: bool = True,
    ) -> None:
        self.topic = topic
        self.timeout = timeout
        self._base = {"bootstrap.servers": bootstrap_servers, **dict(security or {})}
        self._producer = Producer({**self._base, "enable.idempotence": True, "acks": "all"})
        self._published = (
            TopicTail(bootstrap_servers, topic, timeout=timeout, security=security)
            if deduplicate
            else None
        )
        self._latest: dict[bytes, OpsAlert] = {}

    def ensure_topic(self, partitions: int, replication_factor: int) -> None:
        """Create the alerts topic unless it exists: a standalone monitor may run before any
        worker ever declared it, and a stopped worker is when alerts matter most.

        Raises:
            AlertPublishError: the topic neither exists nor could be created.
        """
        admin = AdminClient(self._base)
        try:
            if self.topic in admin.list_topics(timeout=self.timeout).topics:
                return
            new = NewTopic(
                self.topic, num_partitions=partitions, replication_factor=replication_factor
            )
            error = admin.create_topics([new], operation_timeout=self.timeout)[
                self.topic
            ].exception(timeout=self.timeout)
        except (KafkaException, TimeoutError) as exc:
            raise AlertPublishError(f"cannot check or create {self.topic}: {exc}") from exc
        if error is not None and not _already_exists(error):
            raise AlertPublishError(f"cannot create {self.topic}: {error}") from error

    def send(self, alert: OpsAlert) -> None:
        key = alert_key(alert)
        if self._already_published(key, alert):
            log_event(logger, "alert_already_published", kind=alert.kind, state=alert.state)
            return
        self._produce(key, alert)
        self._latest[key] = alert

    def _already_published(self, key: bytes, alert: OpsAlert) -> bool:
        """Whether the topic already holds ``alert``'s transition of the same breach."""
        if self._published is None:
            return False
        try:
            self._catch_up(self._published)
        except TopicTailError as exc:
            # announcing twice beats not announcing: publish as if nobody had
            log_event(logger, "alert_topic_unreadable", logging.WARNING, error=str(exc))
            return False
        seen = self._latest.get(key)
        return seen is not None and seen.state == alert.state and seen.at >= alert.since

    def _catch_up(self, published: TopicTail) -> None:
        """Read the alerts topic to its end (within ``timeout``)."""
        record_transitions(published.poll_to_end(self.timeout), self._latest)

    def _produce(self, key: bytes, alert: OpsAlert) -> None:
        errors: list[KafkaError] = []

        def delivered(error: KafkaError | None, _: Message) -> None:
            if error is not None:
                errors.append(error)

        try:
            self._producer.produce(
                self.topic,
                key=key,
                value=alert.model_dump_json().encode(),
                on_delivery=delivered,
            )
            left = self._producer.flush(self.timeout)
        except (KafkaException, BufferError) as exc:
            raise AlertPublishError(f"publishing a {alert.kind} alert failed: {exc}") from exc
        if left or errors:
            raise AlertPublishError(
                f"a {alert.kind} alert was not acknowledged on {self.topic}: {errors or 'timeout'}"
            )

    def close(self) -> None:
        self._producer.flush(self.timeout)
        if self._published is not None:
            self._published.close()


def _already_exists(error: BaseException) -> bool:
    """Whether a create-topics failure only says someone else created the topic first."""
    if isinstance(error, KafkaException) and error.args:
        code = getattr(error.args[0], "code", lambda: None)()
        return code == KafkaError.TOPIC_ALREADY_EXISTS
    return False

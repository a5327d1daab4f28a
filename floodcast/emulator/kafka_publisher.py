"""Publishing to Kafka with an idempotent confluent-kafka producer, counting failed deliveries."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from floodcast.emulator.exceptions import (
    BrokerUnavailableError,
    DeliveryError,
    FatalProducerError,
    FlushTimeoutError,
    MissingTopicError,
    ProduceError,
    ProducerConfigError,
    TopicCreationError,
)
from floodcast.emulator.producer_tuning import ProducerTuning
from floodcast.emulator.publisher import KeyValue
from stream_app.exceptions import TopicCreationError as FloodcastTopicCreationError
from stream_app.kafka import create_topics

logger = logging.getLogger(__name__)

MAX_KEPT_ERRORS = 10
"""Delivery errors kept for the report; the rest are only counted."""

_QUEUE_FULL_WAIT_S = 0.05
_METADATA_SETTLE_S = 3.0
_METADATA_RETRY_S = 0.1


class KafkaPublisher:
    """Sends messages through one idempotent producer and tallies what failed.

    Args:
        bootstrap: broker addresses.
        tuning: batching and compression settings.
        security: librdkafka security properties for the producer and the admin client
            (``floodcast.kafka_clients.security_config``); none for PLAINTEXT.

    Raises:
        ProducerConfigError: when librdkafka rejects the configuration.
    """

    def __init__(
        self, bootstrap: str, tuning: ProducerTuning, security: Mapping[str, str] | None = None
    ) -> None:
        self.bootstrap = bootstrap
        self._security = dict(security or {})
        self.tuning = tuning
        self.produced = 0
        """Messages handed to the producer."""
        self.failures = 0
        """Messages whose delivery report carried an error."""
        self.errors: list[DeliveryError] = []
        """The first ``MAX_KEPT_ERRORS`` delivery errors."""
        self._fatal: KafkaError | None = None
        self.config = {
            **tuning.librdkafka_config(
                bootstrap, on_delivery=self._on_delivery, error_cb=self._on_error
            ),
            **self._security,
        }
        try:
            self._producer = Producer(self.config)
        except KafkaException as exc:
            raise ProducerConfigError(f"invalid producer configuration: {exc}") from exc

    @property
    def delivery_errors(self) -> list[str]:
        """The kept delivery errors, as text."""
        return [str(error) for error in self.errors]

    @property
    def settings(self) -> dict[str, str]:
        """The producer configuration as text, without its callbacks and password."""
        return {
            k: str(v) for k, v in self.config.items() if not callable(v) and k != "sasl.password"
        }

    def _on_delivery(self, error: KafkaError | None, message: Message) -> None:
        if error is None:  # only failures are reported, but be robust to a success
            return
        self.failures += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(DeliveryError(error, message.topic()))

    def _on_error(self, error: KafkaError) -> None:
        if error.fatal():
            self._fatal = error
        logger.warning("producer error: %s", error.str())

    def _check_fatal(self) -> None:
        if self._fatal is not None:
            raise FatalProducerError(f"fatal producer error: {self._fatal.str()}")

    def ensure_topics(
        self,
        partitions: Mapping[str, int],
        *,
        create: bool,
        replication_factor: int,
        timeout_s: float = 15.0,
    ) -> None:
        """Check that the topics exist, creating missing ones when allowed.

        Args:
            partitions: partition count of each topic, used only when creating it.
            create: whether to create missing topics.
            replication_factor: replication of created topics.
            timeout_s: time allowed for the metadata request and for each creation.

        Raises:
            BrokerUnavailableError: when the broker does not answer in time.
            MissingTopicError: when a topic is missing and ``create`` is false.
            TopicCreationError: when a missing topic cannot be created.
        """
        # Creating is idempotent (an existing topic is fine), so only a refusal waits to be sure.
        settle_s = 0.0 if create else _METADATA_SETTLE_S
        missing = self._missing(partitions, timeout_s, settle_s=settle_s)
        if not missing:
            return
        if not create:
            raise MissingTopicError(f"topics {missing} do not exist on {self.bootstrap}")
        admin = AdminClient({"bootstrap.servers": self.bootstrap, **self._security})
        new = [NewTopic(t, partitions[t], replication_factor) for t in missing]
        try:
            create_topics(admin, new, timeout_s)
        except FloodcastTopicCreationError as exc:
            raise TopicCreationError(str(exc)) from exc
        still = self._missing(partitions, timeout_s, settle_s=timeout_s)
        if still:
            raise TopicCreationError(f"created topics {still} did not appear in time")

    def _missing(self, topics: Iterable[str], timeout_s: float, *, settle_s: float) -> list[str]:
        """Topics the broker does not list, re-asking for ``settle_s`` seconds.

        A broker may answer metadata requests before it has applied a topic the controller
        has just created, so a topic is only missing when it stays missing for a while.

        Raises:
            BrokerUnavailableError: when the broker does not answer in time.
        """
        wanted = list(topics)
        deadline = time.monotonic() + settle_s
        while True:
            try:
                existing = self._producer.list_topics(timeout=timeout_s).topics
            except KafkaException as exc:
                raise BrokerUnavailableError(f"no answer from {self.bootstrap}: {exc}") from exc
            missing = [topic for topic in wanted if topic not in existing]
            if not missing or time.monotonic() >= deadline:
                return missing
            time.sleep(_METADATA_RETRY_S)

    def send(self, topic: str, messages: Iterable[KeyValue]) -> int:
        """Hand messages to the producer, waiting while its queue is full.

        Args:
            topic: destination topic.
            messages: ``(key, value)`` pairs, sent in order.

        Returns:
            The number of messages handed over.

        Raises:
            ProduceError: when the producer refuses a message (e.g. larger than allowed).
            FatalProducerError: after a fatal producer error.
        """
        produce = self._producer.produce
        count = 0
        try:
            for key, value in messages:
                try:
                    produce(topic, value, key)
                except BufferError:
                    # The local queue is full: let librdkafka drain it, then retry once more.
                    self._wait_for_queue(topic, key, value)
                count += 1
        except KafkaException as exc:
            raise ProduceError(f"producer refused a message for {topic!r}: {exc}") from exc
        finally:
            self.produced += count
        self._producer.poll(0)
        self._check_fatal()
        return count

    def _wait_for_queue(self, topic: str, key: bytes, value: bytes) -> None:
        while True:
            self._producer.poll(_QUEUE_FULL_WAIT_S)
            self._check_fatal()
            try:
                self._producer.produce(topic, value, key)
            except BufferError:
                continue
            return

    def wait(self, seconds: float, stop: threading.Event | None = None) -> bool:
        """Serve delivery reports for ``seconds``, or until ``stop`` is set.

        Returns:
            False when ``stop`` was set, else True.
        """
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            if stop is not None and stop.is_set():
                return False
            self._producer.poll(min(remaining, 0.05))
        self._check_fatal()
        return not (stop is not None and stop.is_set())

    def flush(self, timeout_s: float | None = None) -> None:
        """Wait until every message is acknowledged or reported failed.

        Args:
            timeout_s: seconds to wait; default: the message timeout plus ten seconds, after
                which librdkafka has reported every message one way or the other.

        Raises:
            FlushTimeoutError: when messages are still outstanding after ``timeout_s``.
            FatalProducerError: after a fatal producer error.
        """
        if timeout_s is None:
            timeout_s = self.tuning.message_timeout_ms / 1000.0 + 10.0
        remaining = self._producer.flush(timeout_s)
        self._check_fatal()
        if remaining:
            raise FlushTimeoutError(f"{remaining} messages unacknowledged after {timeout_s:g} s")

    def close(self) -> None:
        """Release the producer's connections and threads (flushing what is left)."""
        self._producer.close()

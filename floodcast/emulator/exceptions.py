"""Errors raised by the gauge emulator.

Two families: configuration errors (``ValueError``s, raised before anything is sent) and
publishing errors (the broker or the producer failed while sending).
"""

from __future__ import annotations

from confluent_kafka import KafkaError

from floodcast.exceptions import FloodcastError


class EmulatorError(FloodcastError):
    """Root of the gauge emulator's errors."""


class EmulatorConfigError(EmulatorError, ValueError):
    """The emulator was configured with inconsistent or out-of-range values."""


class FaultSpecError(EmulatorConfigError):
    """A fault specification such as ``duplicates=0.01,offline=G1`` cannot be parsed."""


class UnknownOfflineGaugeError(EmulatorConfigError):
    """A gauge asked to go offline is not part of any emulated basin."""


class IncompatibleSimulationsError(EmulatorConfigError):
    """Simulations emulated together differ in start time or step length."""


class ReadingTemplateError(EmulatorError):
    """The reading schema no longer fits the fast encoder's per-gauge template."""


class UnrepresentableSimulationError(EmulatorError, ValueError):
    """A simulation holds a value that a valid reading cannot carry (e.g. rain over the limit)."""


class PublishError(EmulatorError):
    """Sending messages to Kafka failed."""


class BrokerUnavailableError(PublishError):
    """The broker did not answer a metadata request in time."""


class MissingTopicError(PublishError):
    """A topic to publish to does not exist and was not to be created."""


class TopicCreationError(PublishError):
    """A missing topic could not be created."""


class ProducerConfigError(PublishError, ValueError):
    """librdkafka rejected the producer configuration."""


class ProduceError(PublishError):
    """The producer refused to enqueue a message."""


class FatalProducerError(PublishError):
    """The idempotent producer hit a fatal error and cannot continue."""


class FlushTimeoutError(PublishError):
    """Messages were still unacknowledged when the final flush timed out."""


class DeliveryFailedError(PublishError):
    """The broker did not acknowledge one or more messages (see the report's failures)."""


class DeliveryError(PublishError):
    """One message's delivery report carried an error."""

    def __init__(self, error: KafkaError, topic: str | None) -> None:
        super().__init__(f"delivery to {topic or '?'} failed: {error.str()}")
        self.code = error.code()
        self.retriable = error.retriable()
        self.topic = topic

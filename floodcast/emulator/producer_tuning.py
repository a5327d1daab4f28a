"""The emulator's Kafka producer settings: idempotent always, batching tunable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Compression = Literal["none", "gzip", "snappy", "lz4", "zstd"]

PINNED = frozenset(
    {
        "bootstrap.servers",
        "enable.idempotence",
        "acks",
        "delivery.report.only.error",
        "on_delivery",
        "error_cb",
    }
)
"""librdkafka properties the emulator owns; ``extra`` may not override them."""


class ProducerTuning(BaseModel):
    """Throughput settings of the emulator's producer.

    The defaults let librdkafka build large batches (up to ``linger_ms`` apart) and compress
    them with lz4, which costs little CPU and shrinks repetitive JSON several-fold.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    linger_ms: int = Field(default=20, ge=0, le=1000)
    batch_size: int = Field(default=1_000_000, ge=1)
    compression: Compression = "lz4"
    queue_max_messages: int = Field(default=1_000_000, ge=1)
    message_timeout_ms: int = Field(default=30_000, ge=1)
    """How long librdkafka retries a message before reporting it failed."""
    extra: dict[str, str | int | float | bool] = Field(default_factory=dict)
    """Further librdkafka properties, e.g. ``{"client.id": "gauges-7"}``."""

    @model_validator(mode="after")
    def _check_extra(self) -> Self:
        pinned = sorted(PINNED.intersection(self.extra))
        if pinned:
            raise ValueError(f"extra may not override {', '.join(pinned)}")
        return self

    def librdkafka_config(
        self,
        bootstrap: str,
        *,
        on_delivery: Callable[[Any, Any], None],
        error_cb: Callable[[Any], None],
    ) -> dict[str, Any]:
        """The full confluent-kafka ``Producer`` configuration.

        Idempotence (which implies ``acks=all`` and ordered, gap-free retries) is always on.
        Delivery reports are requested for failures only, which spares a Python callback
        per message; successes are what was produced minus failures once flushed.

        Args:
            bootstrap: broker addresses.
            on_delivery: called with ``(error, message)`` for each failed message.
            error_cb: called with client-level errors (including fatal ones).

        Returns:
            The configuration dict.
        """
        return {
            "client.id": "floodcast-gauge-emulator",
            **self.extra,
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            "acks": "all",
            # Kafka's Java clients (and faust) hash keys with murmur2; match them so a basin's
            # readings land on the same partition whoever produces them.
            "partitioner": self.extra.get("partitioner", "murmur2_random"),
            "linger.ms": self.linger_ms,
            "batch.size": self.batch_size,
            "compression.type": self.compression,
            "queue.buffering.max.messages": self.queue_max_messages,
            "message.timeout.ms": self.message_timeout_ms,
            "delivery.report.only.error": True,
            "on_delivery": on_delivery,
            "error_cb": error_cb,
        }

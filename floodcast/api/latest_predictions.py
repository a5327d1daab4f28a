"""The latest flood path of each basin, kept up to date from the predictions topic by a
background consumer."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Message, TopicPartition
from pydantic import ValidationError

from schemas import FloodPathPrediction

__all__ = ["GROUP_PREFIX", "LatestPredictions", "PredictionsFollower"]


class LatestPredictions:
    """Keeps, per basin, the prediction with the latest watermark (then the latest issue).

    A replayed or out-of-order older message never replaces a newer one. Thread-safe: the
    follower thread writes while request handlers read.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, FloodPathPrediction] = {}

    def offer(self, prediction: FloodPathPrediction) -> bool:
        """Keep ``prediction`` if it is newer than the basin's current one.

        Returns:
            Whether it was kept.
        """
        order = (prediction.watermark, prediction.issued_at)
        with self._lock:
            current = self._latest.get(prediction.basin_id)
            if current is not None and (current.watermark, current.issued_at) >= order:
                return False
            self._latest[prediction.basin_id] = prediction
            return True

    def get(self, basin_id: str) -> FloodPathPrediction | None:
        """The basin's latest prediction, if one was seen."""
        with self._lock:
            return self._latest.get(basin_id)

    def __len__(self) -> int:
        with self._lock:
            return len(self._latest)


logger = logging.getLogger(__name__)

GROUP_PREFIX = "floodcast-api-"
"""Every follower's group id starts with this (the API's Kafka ACLs are granted on it)."""

OnPrediction = Callable[[FloodPathPrediction], None]
"""Called with each prediction decoded from the topic (e.g. to count it)."""


class PredictionsFollower:
    """Reads the predictions topic from its beginning, then follows it, on a daemon thread.

    Each API process reads the whole topic under a group id of its own and commits nothing:
    every replica materialises every basin, and a restart rebuilds the view from the log.
    ``caught_up`` turns true once each assigned partition has been read to its end once (or
    the topic does not exist yet: there is nothing to catch up on).

    Args:
        bootstrap_servers: the brokers.
        topic: the predictions topic.
        store: where the latest predictions are kept.
        client_config: extra librdkafka settings (e.g. security).
        on_prediction: called for each decoded prediction.
        on_bad_message: called for each message that is not a prediction.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        topic: str,
        store: LatestPredictions,
        *,
        client_config: Mapping[str, str] | None = None,
        on_prediction: OnPrediction | None = None,
        on_bad_message: Callable[[], None] | None = None,
    ) -> None:
        self.topic = topic
        self.store = store
        self._config = {
            "bootstrap.servers": bootstrap_servers,
            "group.id": f"{GROUP_PREFIX}{uuid.uuid4().hex[:12]}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "enable.partition.eof": True,
            "client.id": "floodcast-api",
            **dict(client_config or {}),
        }
        self._on_prediction = on_prediction
        self._on_bad_message = on_bad_message
        self._stop = threading.Event()
        self._caught_up = threading.Event()
        self._pending_eof: set[int] = set()
        self._thread: threading.Thread | None = None

    @property
    def caught_up(self) -> bool:
        return self._caught_up.is_set()

    def wait_caught_up(self, timeout: float) -> bool:
        """Block until caught up or ``timeout`` seconds passed; returns ``caught_up``."""
        return self._caught_up.wait(timeout)

    def start(self) -> None:
        """Start following on a daemon thread."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="predictions-follower", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop and wait for it to close its consumer."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        consumer = Consumer(self._config)
        try:
            consumer.subscribe([self.topic], on_assign=self._on_assign)
            while not self._stop.is_set():
                message = consumer.poll(0.2)
                if message is not None:
                    self._handle_safely(message)
        except Exception:  # the API keeps serving what it has; readiness shows the loss
            logger.exception(
                "predictions_follower_stopped", extra={"fields": {"topic": self.topic}}
            )
            self._caught_up.clear()
        finally:
            consumer.close()

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        for partition in partitions:
            partition.offset = OFFSET_BEGINNING
        self._pending_eof.update(p.partition for p in partitions)
        consumer.assign(partitions)

    def _handle_safely(self, message: Message) -> None:
        """Handle one message; whatever it holds, the follower goes on with the next one."""
        try:
            self._handle(message)
        except Exception:  # one message must not stop the API following the topic (issue 12)
            logger.exception(
                "predictions_follower_message_failed",
                extra={"fields": {"partition": message.partition(), "offset": message.offset()}},
            )
            if self._on_bad_message is not None:
                self._on_bad_message()

    def _handle(self, message: Message) -> None:
        error = message.error()
        if error is not None:
            if error.code() == KafkaError._PARTITION_EOF:
                self._pending_eof.discard(message.partition())
                if not self._pending_eof:
                    self._caught_up.set()
            elif error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                self._caught_up.set()
            else:
                logger.warning(
                    "predictions_follower_error", extra={"fields": {"error": str(error)}}
                )
            return
        try:
            prediction = FloodPathPrediction.model_validate_json(message.value() or b"")
        except ValidationError:
            logger.warning(
                "predictions_follower_bad_message",
                extra={"fields": {"partition": message.partition(), "offset": message.offset()}},
            )
            if self._on_bad_message is not None:
                self._on_bad_message()
            return
        self.store.offer(prediction)
        if self._on_prediction is not None:
            self._on_prediction(prediction)

"""Feeds the accuracy tracker from the predictions and flood-observations topics."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TypeVar

from confluent_kafka import Message
from pydantic import ValidationError

from floodcast.monitoring.accuracy.accuracy_tracker import AccuracyScores, AccuracyTracker
from floodcast.monitoring.signals.topic_tail import TopicTail
from schemas import FloodObservation, FloodPathPrediction
from stream_app.json_logging import log_event

__all__ = ["AccuracyFeed", "decode_messages"]

logger = logging.getLogger("monitoring")

_M = TypeVar("_M", FloodObservation, FloodPathPrediction)


class AccuracyFeed:
    """Follows both topics (without a consumer group) and keeps the tracker up to date.

    Args:
        bootstrap_servers: Kafka bootstrap servers.
        predictions_topic: the worker's flood-path predictions.
        observations_topic: observed floods (``FloodObservation``).
        tracker: where the decoded messages go.
        since: first message time to read (epoch seconds); ``None`` reads from the beginning.
        security: librdkafka security properties (SASL/TLS) for both consumers.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        predictions_topic: str,
        observations_topic: str,
        tracker: AccuracyTracker,
        *,
        since: float | None = None,
        security: Mapping[str, str] | None = None,
    ) -> None:
        self.tracker = tracker
        self.predictions = TopicTail(
            bootstrap_servers, predictions_topic, since=since, security=security
        )
        self.observations = TopicTail(
            bootstrap_servers, observations_topic, since=since, security=security
        )
        self.undecodable = 0
        """Messages on either topic that were not valid predictions or observations."""

    def poll(self) -> AccuracyScores | None:
        """Read what arrived on both topics, verify what can be, return the rolling scores.

        Raises:
            TopicTailError: the broker refused a request.
        """
        observations, unreadable = decode_messages(self.observations.poll(), FloodObservation)
        for observation in observations:
            self.tracker.add_observation(observation)
        predictions, more = decode_messages(self.predictions.poll(), FloodPathPrediction)
        for prediction in predictions:
            self.tracker.add_prediction(prediction)
        self.undecodable += unreadable + more
        verified = self.tracker.verify()
        if verified:
            scores = self.tracker.scores()
            log_event(
                logger,
                "predictions_verified",
                logging.DEBUG,
                verified=verified,
                csi=scores.csi if scores else None,
                brier=scores.brier if scores else None,
                forecasts=scores.forecasts if scores else 0,
            )
        return self.tracker.scores()

    def close(self) -> None:
        """Close both topic readers."""
        self.predictions.close()
        self.observations.close()


def decode_messages(messages: Iterable[Message], model: type[_M]) -> tuple[list[_M], int]:
    """The messages that are valid ``model`` JSON, and how many were not.

    Not ours to judge: the producers validate what they send. The schema bounds every field,
    so what decodes is safe for the tracker's time arithmetic (issue 12).

    Returns:
        ``(decoded, skipped)``.
    """
    decoded: list[_M] = []
    skipped = 0
    for message in messages:
        try:
            decoded.append(model.model_validate_json(message.value() or b""))
        except ValidationError:
            skipped += 1
    return decoded, skipped

"""The API's follower materialises the latest prediction per basin from a real topic."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import Producer

from floodcast.api.latest_predictions import LatestPredictions, PredictionsFollower
from tests.helpers.predictions import empty_path_prediction

pytestmark = pytest.mark.integration


def _send(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap})
    for value in values:
        producer.produce(topic, value=value)
    assert producer.flush(30) == 0


def test_follower_catches_up_then_follows(kafka_bootstrap: str, make_topic) -> None:
    """Existing messages are read from the start (newest watermark wins, junk skipped), and a
    prediction published after catching up shows within seconds."""
    topic = make_topic("predictions", partitions=2)
    _send(
        kafka_bootstrap,
        topic,
        [
            empty_path_prediction("upland", 3).model_dump_json().encode(),
            empty_path_prediction("upland", 1).model_dump_json().encode(),  # older, arrives later
            b"{not a prediction",
            empty_path_prediction("lowland", 2).model_dump_json().encode(),
        ],
    )
    store = LatestPredictions()
    bad: list[int] = []
    follower = PredictionsFollower(
        kafka_bootstrap, topic, store, on_bad_message=lambda: bad.append(1)
    )
    follower.start()
    try:
        assert follower.wait_caught_up(60), "the follower never reached the end of the topic"
        assert store.get("upland") == empty_path_prediction("upland", 3)
        assert store.get("lowland") == empty_path_prediction("lowland", 2)
        assert bad == [1]
        _send(
            kafka_bootstrap, topic, [empty_path_prediction("lowland", 4).model_dump_json().encode()]
        )
        deadline = time.monotonic() + 30
        while store.get("lowland") != empty_path_prediction("lowland", 4):
            assert time.monotonic() < deadline, "a new prediction was not picked up"
            time.sleep(0.1)
    finally:
        follower.stop()


def test_missing_topic_counts_as_caught_up(kafka_bootstrap: str) -> None:
    """Before the worker creates the topic there is nothing to catch up on: ready."""
    store = LatestPredictions()
    follower = PredictionsFollower(kafka_bootstrap, "predictions-never-created-1f3a", store)
    follower.start()
    try:
        assert follower.wait_caught_up(60)
        assert len(store) == 0
    finally:
        follower.stop()

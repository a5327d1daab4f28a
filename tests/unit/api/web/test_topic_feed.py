"""A topic feed retries a refused tail, says so once, and says when it reads again."""

from __future__ import annotations

import threading

from floodcast.api.web.live_hub import LiveHub
from floodcast.api.web.topic_feed import TopicFeed
from floodcast.monitoring.exceptions import TopicTailError


class ScriptedTail:
    """A tail whose polls raise or answer in a given order, then answer nothing."""

    def __init__(self, script: list[object]) -> None:
        self.script = script
        self.closed = False

    def poll(self, budget: float = 0.5) -> list[object]:
        step = self.script.pop(0) if self.script else []
        if isinstance(step, Exception):
            raise step
        return step  # type: ignore[return-value]

    def close(self) -> None:
        self.closed = True


def test_refusals_are_reported_once_and_cleared_when_reading_again() -> None:
    """Two refusals in a row are one failure; the messages of the next tail reach the callback
    and clear it."""
    refused = TopicTailError("following ops-alerts refused: TOPIC_AUTHORIZATION_FAILED")
    tails = [ScriptedTail([refused]), ScriptedTail([refused]), ScriptedTail([["m1", "m2"]])]
    opened: list[ScriptedTail] = []
    states: list[tuple[str, str | None]] = []
    batches: list[list[object]] = []
    got_messages = threading.Event()

    def open_tail() -> ScriptedTail:
        tail = tails.pop(0) if tails else ScriptedTail([])
        opened.append(tail)
        return tail

    def on_messages(messages: list[object]) -> None:
        batches.append(messages)
        got_messages.set()

    feed = TopicFeed(
        "alerts",
        open_tail,  # type: ignore[arg-type]
        on_messages,  # type: ignore[arg-type]
        on_state=lambda name, failure: states.append((name, failure)),
        retry_seconds=0.01,
    )
    feed.start()
    try:
        assert got_messages.wait(10)
    finally:
        feed.stop()
    assert batches == [["m1", "m2"]]
    assert states == [("alerts", str(refused)), ("alerts", None)]
    assert all(tail.closed for tail in opened)


def test_hub_lists_failed_feeds_in_its_status() -> None:
    """A failed feed shows in the status the page gets, until it reads again."""
    hub = LiveHub()
    hub.set_feed_failure("alerts", "refused")
    assert hub.status([])["feed_failures"] == {"alerts": "refused"}
    hub.set_feed_failure("alerts", None)
    assert hub.status([])["feed_failures"] == {}

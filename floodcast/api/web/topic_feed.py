"""Follow a topic on a daemon thread and hand each batch of its messages to a callback."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from confluent_kafka import Message

from floodcast.monitoring.exceptions import TopicTailError
from floodcast.monitoring.signals.topic_tail import TopicTail

__all__ = ["OnFeedState", "OnMessages", "TailFactory", "TopicFeed"]

logger = logging.getLogger(__name__)

OnMessages = Callable[[list[Message]], None]
"""Called on the feed's thread with each non-empty batch of messages."""

OnFeedState = Callable[[str, str | None], None]
"""Called with the feed's name and its failure (None once it reads again)."""

TailFactory = Callable[[], TopicTail]
"""Opens the tail to follow (called again after the broker refused or failed a request)."""


class TopicFeed:
    """Polls a ``TopicTail`` until stopped; a failed tail is logged and opened again later.

    Args:
        name: the thread's name and the feed's name in logs.
        open_tail: opens the tail.
        on_messages: takes each batch.
        on_state: told when the feed fails (the broker refused it, e.g. for want of an ACL)
            and when it reads again.
        retry_seconds: wait before opening the tail again after a failure.
    """

    def __init__(
        self,
        name: str,
        open_tail: TailFactory,
        on_messages: OnMessages,
        *,
        on_state: OnFeedState | None = None,
        retry_seconds: float = 5.0,
    ) -> None:
        self.name = name
        self._open_tail = open_tail
        self._on_messages = on_messages
        self._on_state = on_state
        self._retry_seconds = retry_seconds
        self._failure: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start following on a daemon thread."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"web-feed-{self.name}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop and wait for it to close its consumer."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            tail = self._open_tail()
            try:
                self._follow(tail)
            except TopicTailError as exc:
                self._report(str(exc))
                self._stop.wait(self._retry_seconds)
            finally:
                tail.close()

    def _follow(self, tail: TopicTail) -> None:
        while not self._stop.is_set():
            messages = tail.poll(budget=0.2)
            self._report(None)
            if messages:
                self._on_messages(messages)
            else:
                self._stop.wait(0.05)

    def _report(self, failure: str | None) -> None:
        """Log and pass on a change of state (a failure repeated at each retry is told once)."""
        if failure == self._failure:
            return
        self._failure = failure
        if failure is None:
            logger.info("topic_feed_recovered", extra={"fields": {"feed": self.name}})
        else:
            logger.warning(
                "topic_feed_failed", extra={"fields": {"feed": self.name, "error": failure}}
            )
        if self._on_state is not None:
            self._on_state(self.name, failure)

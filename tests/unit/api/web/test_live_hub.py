"""The live hub: 24 h of paths per basin, open alerts, staleness, gauge silence, fan-out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from floodcast.api.web.live_hub import LiveHub
from tests.helpers.alerts import lag_alert
from tests.helpers.predictions import T0, empty_path_prediction


class FakeClock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_history_keeps_24_hours_in_watermark_order() -> None:
    """Paths arrive out of order and twice; the hub keeps each once, oldest first, and drops
    those more than 24 h of event time older than the newest."""
    hub = LiveHub()
    for hour in (5, 1, 3, 3, 20):
        hub.add_prediction(empty_path_prediction("upland", hour))
    assert [p.readings_used for p in hub.paths("upland")] == [1, 3, 5, 20]
    hub.add_prediction(empty_path_prediction("upland", 27))
    assert [p.readings_used for p in hub.paths("upland")] == [3, 5, 20, 27]
    assert hub.paths("lowland") == []


def test_stale_basins_by_issue_time() -> None:
    """A basin is stale once its newest prediction was issued longer ago than the limit, or,
    with none, once the hub has run that long."""
    clock = FakeClock(T0.timestamp())
    hub = LiveHub(stale_after_seconds=60, clock=clock)
    assert hub.status(["a", "b"])["stale_basins"] == []
    clock.now += 61
    assert hub.status(["a", "b"])["stale_basins"] == ["a", "b"]
    fresh = empty_path_prediction("a", 0).model_copy(
        update={"issued_at": datetime.fromtimestamp(clock.now - 10, UTC)}
    )
    hub.add_prediction(fresh)
    assert hub.status(["a", "b"])["stale_basins"] == ["b"]


def test_alerts_open_and_resolve_and_raise_the_lag_flag() -> None:
    """A firing lag alert is open and sets lag_high; its resolution closes both."""
    hub = LiveHub()
    at = T0 + timedelta(hours=1)
    hub.add_alert(lag_alert("firing", at, at))
    assert [a.state for a in hub.open_alerts()] == ["firing"]
    assert hub.status([])["lag_high"] is True
    hub.add_alert(lag_alert("resolved", at, at + timedelta(minutes=5)))
    assert hub.open_alerts() == []
    assert hub.status([])["lag_high"] is False


def test_streams_get_events_and_a_slow_one_is_closed() -> None:
    """Every subscription gets each event in order; one that falls too far behind is closed
    with a final None."""

    async def scenario() -> None:
        hub = LiveHub(queue_size=3)
        fast, slow = hub.subscribe(), hub.subscribe()
        received = []
        for hour in range(5):
            hub.add_prediction(empty_path_prediction("upland", hour))
            await asyncio.sleep(0)  # the loop runs the thread-safe hand-over
            received.append(await fast.queue.get())
        assert [name for name, _ in received] == ["prediction"] * 5  # type: ignore[misc]
        assert slow.closed
        queued = [slow.queue.get_nowait() for _ in range(slow.queue.qsize())]
        assert queued[-1] is None and len(queued) == 4
        hub.unsubscribe(fast)
        hub.unsubscribe(slow)
        assert hub.subscribers == 0

    asyncio.run(scenario())

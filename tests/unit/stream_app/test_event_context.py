"""Table writes can be made under any event of a batch, without touching other tasks."""

from __future__ import annotations

import asyncio

from faust.streams import current_event

from stream_app.app import event_context


class FakeEvent:
    """Stands in for a Faust event (only its identity matters here)."""


def test_event_is_current_inside_the_block_only() -> None:
    """current_event() is the given event inside the block and what it was before after it."""
    first, second = FakeEvent(), FakeEvent()
    assert current_event() is None
    with event_context(first):  # type: ignore[arg-type]
        assert current_event() is first
        with event_context(second):  # type: ignore[arg-type]
            assert current_event() is second
        assert current_event() is first
    assert current_event() is None


def test_other_tasks_do_not_see_the_event() -> None:
    """The event is task-local: a concurrently running task keeps its own current event."""

    async def main() -> list[object]:
        seen: list[object] = []
        entered = asyncio.Event()

        async def other() -> None:
            await entered.wait()
            seen.append(current_event())

        task = asyncio.create_task(other())
        event = FakeEvent()
        with event_context(event):  # type: ignore[arg-type]
            entered.set()
            await task
        return seen

    assert asyncio.run(main()) == [None]

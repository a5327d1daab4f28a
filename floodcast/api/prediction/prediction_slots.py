"""Run the CPU work of predictions in worker threads, a bounded number at a time (issue 13).

Decoding a request of up to 10,000 readings and running them through the processor takes
hundreds of milliseconds; on the event loop it would hold every other request, health
probes included. In a thread the loop keeps answering, and the bound keeps a burst of big
requests from taking every core and the threadpool.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import TypeVar

from anyio import to_thread

__all__ = ["PredictionSlots"]

T = TypeVar("T")


class PredictionSlots:
    """At most ``size`` calls run at once, each in a worker thread.

    Args:
        size: calls running at once; the rest wait their turn.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.size = size
        # a semaphore belongs to one event loop; tests run apps on several
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)`` in a worker thread once a slot is free."""
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self.size)
        async with slots:
            return await to_thread.run_sync(function, *args)

"""A worker that has begun to stop ends within a grace period, whatever faust is waiting on.

faust's consumer thread can wait forever for a broker that is gone: with the broker down,
aiokafka's fetcher is cancelled inside its retry back-off while closing, the consumer thread
dies, and the worker's stop waits on it for good — SIGTERM no longer ends the process. At
least once, an exit now loses nothing: offsets not committed are read again by the next
worker, and the replays are recognised by the offsets the tables hold.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import faust

from stream_app.json_logging import log_event

__all__ = ["FORCED_EXIT_CODE", "GracefulWorker"]

FORCED_EXIT_CODE = 75
"""Exit status of a worker that did not stop in time (EX_TEMPFAIL: run it again)."""

logger = logging.getLogger("stream_app")


class GracefulWorker(faust.Worker):
    """``faust.Worker`` that exits ``stop_grace_seconds`` after it begins to stop, at most.

    Args:
        stop_grace_seconds: how long a stop may take before the process exits regardless.
        *args, **kwargs: as ``faust.Worker``.
    """

    def __init__(self, *args: Any, stop_grace_seconds: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watchdog = threading.Timer(stop_grace_seconds, self._stop_overdue)
        self._watchdog.daemon = True
        self._watchdog.name = "stop-watchdog"

    async def on_stop(self) -> None:
        """Arm the watchdog as the stop begins (SIGTERM, SIGINT or the app ending)."""
        if not self._watchdog.is_alive():
            self._watchdog.start()
        await super().on_stop()

    def _stop_overdue(self) -> None:
        log_event(
            logger,
            "worker_stop_forced",
            logging.ERROR,
            grace_seconds=self._watchdog.interval,
            exit_code=FORCED_EXIT_CODE,
        )
        logging.shutdown()
        os._exit(FORCED_EXIT_CODE)

"""Dead-letter share over a sliding time window, from cumulative accounting counts."""

from __future__ import annotations

from collections import deque

__all__ = ["ErrorRate"]


class ErrorRate:
    """The share of readings dead-lettered among those counted in the last ``window`` seconds.

    Fed with the accounting's running totals, so restarts and replays (which the accounting
    does not count twice) do not distort it.

    Parameters:
        window: seconds looked back.

    Examples:
        >>> rate = ErrorRate(window=60)
        >>> rate.add(0.0, total=100, dead_letters=0)
        >>> rate.add(30.0, total=200, dead_letters=25)
        >>> rate.share(30.0)
        0.25
        >>> rate.add(100.0, total=200, dead_letters=25)
        >>> rate.share(100.0) is None  # nothing counted in the last minute
        True
    """

    def __init__(self, window: float) -> None:
        self.window = window
        self._points: deque[tuple[float, int, int]] = deque()

    def add(self, at: float, *, total: int, dead_letters: int) -> None:
        """Record the running totals at ``at`` (epoch seconds)."""
        self._points.append((at, total, dead_letters))

    def share(self, now: float) -> float | None:
        """Dead letters / readings counted in the window; ``None`` when none were counted."""
        # keep the newest point at or before the window start as the baseline
        while len(self._points) > 1 and self._points[1][0] <= now - self.window:
            self._points.popleft()
        if len(self._points) < 2:
            return None
        _, total0, dead0 = self._points[0]
        _, total1, dead1 = self._points[-1]
        counted = total1 - total0
        if counted <= 0:
            return None
        return (dead1 - dead0) / counted

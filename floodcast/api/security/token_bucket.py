"""Per-key request budgets: a token bucket for each API key."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """A token bucket per key: ``burst`` requests at once, refilled at ``rate`` per second.

    A few lines of arithmetic rather than a library: the buckets live in this process only
    and need an injectable clock for exact tests.

    Args:
        rate: tokens added per second.
        burst: bucket size.
        clock: monotonic seconds.
        max_keys: buckets kept at most (keys may come from clients, e.g. their addresses).
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - last) * self.rate)

    def wait(self, key: str, cost: float = 1.0) -> float:
        """Seconds until ``key`` holds ``cost`` tokens (0.0: now), taking none."""
        with self._lock:
            return max(cost - self._tokens(key, self._clock()), 0.0) / self.rate

    def acquire(self, key: str, cost: float = 1.0) -> float:
        """Take ``cost`` tokens for ``key`` (a request, or the readings of one).

        Returns:
            0.0 when the request may go ahead, else the seconds until enough tokens are there.
        """
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            if key not in self._buckets and len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            if tokens >= cost:
                self._buckets[key] = (tokens - cost, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (cost - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that refilled (they equal a new one), else the oldest (lock held)."""
        full = [key for key in self._buckets if self._tokens(key, now) >= self.burst]
        for key in full or list(self._buckets)[: max(1, len(self._buckets) // 10)]:
            del self._buckets[key]

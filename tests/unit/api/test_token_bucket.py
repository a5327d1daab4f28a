"""The per-key token bucket admits a burst, then the refill rate."""

from __future__ import annotations

import pytest

from floodcast.api.security import RateLimiter


def test_burst_then_refill() -> None:
    """Three at once, then one more per half second at 2/s; waits say how long to go."""
    now = [0.0]
    limiter = RateLimiter(rate=2.0, burst=3, clock=lambda: now[0])
    assert [limiter.acquire("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("k") == pytest.approx(0.5)
    now[0] = 0.25
    assert limiter.acquire("k") == pytest.approx(0.25)
    now[0] = 0.5
    assert limiter.acquire("k") == 0.0
    assert limiter.acquire("other") == 0.0


def test_bucket_never_exceeds_burst() -> None:
    """A long idle spell refills the bucket to ``burst``, not beyond."""
    now = [0.0]
    limiter = RateLimiter(rate=10.0, burst=2, clock=lambda: now[0])
    now[0] = 1000.0
    assert [limiter.acquire("k") == 0.0 for _ in range(3)] == [True, True, False]


def test_invalid_parameters() -> None:
    """A non-positive rate or a zero burst is refused."""
    with pytest.raises(ValueError):
        RateLimiter(rate=0.0, burst=1)
    with pytest.raises(ValueError):
        RateLimiter(rate=1.0, burst=0)

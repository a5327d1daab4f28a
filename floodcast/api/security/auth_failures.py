"""Budgets of failed authentications, per client address and over all clients (issue 13).

Each failure costs a token; a client (or everyone, once the global budget is spent) that has
none left is answered 429 before its key is checked, so guessing secrets costs the API no
scrypt hash beyond the budget.
"""

from __future__ import annotations

from floodcast.api.security.token_bucket import RateLimiter

__all__ = ["AuthFailureLimiter"]

_EVERYONE = ""
"""Bucket of all clients together (no client address is empty)."""


class AuthFailureLimiter:
    """Counts failed authentications per client address and overall.

    Args:
        per_client: one bucket per client address.
        overall: a single bucket for every client.
    """

    def __init__(self, per_client: RateLimiter, overall: RateLimiter) -> None:
        self.per_client = per_client
        self.overall = overall

    def wait(self, client: str) -> float:
        """Seconds until ``client`` may try a key again (0.0: now)."""
        return max(self.per_client.wait(client or "?"), self.overall.wait(_EVERYONE))

    def failed(self, client: str) -> None:
        """Charge one failed authentication to ``client`` and to the overall budget."""
        self.per_client.acquire(client or "?")
        self.overall.acquire(_EVERYONE)

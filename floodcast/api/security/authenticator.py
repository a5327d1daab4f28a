"""FastAPI dependencies that authenticate the API key, check its scope and rate-limit it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from floodcast.api.exceptions import ForbiddenError, NotAuthenticatedError, RateLimitedError
from floodcast.api.security.api_key_store import ApiKeyStore
from floodcast.api.security.auth_failures import AuthFailureLimiter
from floodcast.api.security.scopes import Scope
from floodcast.api.security.stored_key import StoredKey
from floodcast.api.security.token_bucket import RateLimiter

__all__ = ["require_scope", "too_many"]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `floodcast keys create`, as `Authorization: Bearer <key>`.",
)

KeyCheck = Callable[..., StoredKey]
"""A dependency returning the authenticated key."""


def too_many(detail: str, wait: float) -> RateLimitedError:
    """A 429 problem asking the client to come back after ``wait`` seconds."""
    return RateLimitedError(detail, headers={"Retry-After": str(max(1, math.ceil(wait)))})


def require_scope(scope: Scope) -> KeyCheck:
    """A dependency admitting requests whose API key grants ``scope``, within its rate limit.

    Raises (from the dependency):
        NotAuthenticatedError: no bearer key, or an unknown, revoked or wrong one (401).
        ForbiddenError: the key lacks ``scope`` (403).
        RateLimitedError: the key's token bucket is empty, or the client (or every client
            together) failed to authenticate too often (429, with ``Retry-After``).
    """

    def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> StoredKey:
        if credentials is None:
            raise NotAuthenticatedError("send an API key as 'Authorization: Bearer <key>'")
        services = request.app.state.services
        failures: AuthFailureLimiter = services.auth_failures
        client = request.client.host if request.client is not None else ""
        # issue 13: past its failure budget a client gets no key check (no scrypt) at all
        wait = failures.wait(client)
        if wait > 0:
            raise too_many("too many failed authentications; try again later", wait)
        store: ApiKeyStore = services.keys
        key = store.authenticate(credentials.credentials)
        if key is None:
            failures.failed(client)
            raise NotAuthenticatedError("the API key is unknown, revoked or wrong")
        if not key.allows(scope):
            raise ForbiddenError(f"the API key {key.key_id} lacks the {scope!r} scope")
        limiter: RateLimiter = services.rate_limiter
        wait = limiter.acquire(key.key_id)
        if wait > 0:
            raise too_many(f"the API key {key.key_id} is over {limiter.rate:g} requests/s", wait)
        return key

    return check

"""FastAPI dependencies that authenticate the API key, check its scope and rate-limit it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from floodcast.api.exceptions import ForbiddenError, NotAuthenticatedError, RateLimitedError
from floodcast.api.security.api_key_store import ApiKeyStore
from floodcast.api.security.scopes import Scope
from floodcast.api.security.stored_key import StoredKey
from floodcast.api.security.token_bucket import RateLimiter

__all__ = ["require_scope"]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `floodcast keys create`, as `Authorization: Bearer <key>`.",
)

KeyCheck = Callable[..., StoredKey]
"""A dependency returning the authenticated key."""


def require_scope(scope: Scope) -> KeyCheck:
    """A dependency admitting requests whose API key grants ``scope``, within its rate limit.

    Raises (from the dependency):
        NotAuthenticatedError: no bearer key, or an unknown, revoked or wrong one (401).
        ForbiddenError: the key lacks ``scope`` (403).
        RateLimitedError: the key's token bucket is empty (429, with ``Retry-After``).
    """

    def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> StoredKey:
        if credentials is None:
            raise NotAuthenticatedError("send an API key as 'Authorization: Bearer <key>'")
        store: ApiKeyStore = request.app.state.services.keys
        key = store.authenticate(credentials.credentials)
        if key is None:
            raise NotAuthenticatedError("the API key is unknown, revoked or wrong")
        if not key.allows(scope):
            raise ForbiddenError(f"the API key {key.key_id} lacks the {scope!r} scope")
        limiter: RateLimiter = request.app.state.services.rate_limiter
        wait = limiter.acquire(key.key_id)
        if wait > 0:
            raise RateLimitedError(
                f"the API key {key.key_id} is over {limiter.rate:g} requests/s",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        return key

    return check

"""API keys (hashed, scoped, rate-limited) and the dependencies that enforce them."""

from floodcast.api.security.api_key_store import KEY_PREFIX, ApiKeyStore, hash_secret
from floodcast.api.security.authenticator import require_scope
from floodcast.api.security.stored_key import SCOPES, Scope, StoredKey
from floodcast.api.security.token_bucket import RateLimiter

__all__ = [
    "KEY_PREFIX",
    "SCOPES",
    "ApiKeyStore",
    "RateLimiter",
    "Scope",
    "StoredKey",
    "hash_secret",
    "require_scope",
]

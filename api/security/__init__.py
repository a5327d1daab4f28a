"""API keys (hashed, scoped, rate-limited) and the dependencies that enforce them."""

from api.security.api_key_store import KEY_PREFIX, ApiKeyStore, hash_secret
from api.security.authenticator import require_scope
from api.security.scopes import SCOPES, Scope
from api.security.stored_key import StoredKey
from api.security.token_bucket import RateLimiter

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

"""API keys (hashed, scoped, rate-limited) and the dependencies that enforce them."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "api_key_store": ["ApiKeyStore", "KEY_PREFIX", "hash_secret"],
        "authenticator": ["require_scope"],
        "scopes": ["SCOPES", "Scope"],
        "stored_key": ["StoredKey"],
        "token_bucket": ["RateLimiter"],
    },
)

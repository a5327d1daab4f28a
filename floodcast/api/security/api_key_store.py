"""API keys kept hashed in an owner-only file; the CLI writes it and the API reads it."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from floodcast.api.exceptions import KeyStoreCorruptError, KeyStorePermissionError, UnknownKeyError
from floodcast.api.security.scopes import Scope
from floodcast.api.security.stored_key import KeyStoreFile, StoredKey

__all__ = ["KEY_PREFIX", "ApiKeyStore", "hash_secret"]

KEY_PREFIX = "fck_"
_KEY_ID_HEX = 12
# scrypt at n=2**14, r=8 (16 MiB, tens of ms): a stolen store does not give keys away cheaply,
# and the API verifies each key once per process (then by an in-memory digest).
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}
_OWNER_ONLY = 0o077
_SCRYPT_AT_ONCE = 2
"""scrypt hashes computed at once per store (issue 13): 2 x 16 MiB, and two cores at most."""


def hash_secret(secret: str, salt: bytes) -> str:
    """The hex scrypt digest a key's secret is stored as."""
    return hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT).hex()


class ApiKeyStore:
    """Create, list, revoke and check API keys stored in one JSON file.

    A key reads ``fck_<key id>_<secret>``: the id finds the record, the secret is checked
    against its salted scrypt hash. The file is written atomically with mode 0600 in a 0700
    folder, and refused when it or its folder is open to others. The file is re-read when it
    changes, so a key revoked by the CLI stops working in a running API.

    Args:
        path: the key store file (created on the first key).
        clock: wall-clock time for ``created_at`` and ``revoked_at``.
    """

    def __init__(
        self, path: Path, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._keys: dict[str, StoredKey] = {}
        self._verified: dict[str, bytes] = {}
        self._hashing = threading.BoundedSemaphore(_SCRYPT_AT_ONCE)

    # ------------------------------------------------------------------ management
    def create(self, name: str, scopes: Iterable[Scope]) -> tuple[str, StoredKey]:
        """Make a new key.

        Returns:
            The key (shown once, never stored) and its record.
        """
        key_id = secrets.token_hex(_KEY_ID_HEX // 2)
        secret = secrets.token_urlsafe(32)
        salt = secrets.token_bytes(16)
        record = StoredKey(
            key_id=key_id,
            name=name,
            scopes=tuple(dict.fromkeys(scopes)),
            salt=salt.hex(),
            digest=hash_secret(secret, salt),
            created_at=self._clock(),
        )
        with self._lock:
            keys = self._load()
            keys[key_id] = record
            self._write(keys)
        return f"{KEY_PREFIX}{key_id}_{secret}", record

    def records(self) -> list[StoredKey]:
        """Every key, revoked ones included, oldest first."""
        with self._lock:
            return sorted(self._load().values(), key=lambda k: k.created_at)

    def revoke(self, key_id: str) -> StoredKey:
        """Revoke a key; revoking a revoked key keeps its first revocation time.

        Raises:
            UnknownKeyError: no key has that id.
        """
        with self._lock:
            keys = self._load()
            record = keys.get(key_id)
            if record is None:
                raise UnknownKeyError(f"no API key {key_id!r}")
            if record.active:
                record = keys[key_id] = record.revoked(self._clock())
                self._write(keys)
            return record

    # ------------------------------------------------------------------ checking
    def authenticate(self, presented: str) -> StoredKey | None:
        """The active key ``presented`` is, or None when it is malformed, unknown or wrong."""
        if not presented.startswith(KEY_PREFIX):
            return None
        body = presented[len(KEY_PREFIX) :]
        key_id, sep, secret = (
            body[:_KEY_ID_HEX],
            body[_KEY_ID_HEX : _KEY_ID_HEX + 1],
            body[_KEY_ID_HEX + 1 :],
        )
        if sep != "_" or not secret or len(secret) > 256:
            return None
        fingerprint = hashlib.sha256(presented.encode()).digest()
        with self._lock:
            record = self._load().get(key_id)
            if record is None or not record.active:
                return None
            known = self._verified.get(key_id)
        if known is not None:
            return record if hmac.compare_digest(known, fingerprint) else None
        with self._hashing:
            digest = hash_secret(secret, bytes.fromhex(record.salt))
        if not hmac.compare_digest(digest, record.digest):
            return None
        with self._lock:
            self._verified[key_id] = fingerprint
        return record

    # ------------------------------------------------------------------ file
    def _load(self) -> dict[str, StoredKey]:
        """The keys on disk, re-read only when the file changed (lock held)."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._keys, self._verified = None, {}, {}
            return self._keys
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        if stamp == self._stamp:
            return self._keys
        self._check_permissions(info)
        try:
            parsed = KeyStoreFile.model_validate_json(self.path.read_bytes())
        except ValidationError as exc:
            raise KeyStoreCorruptError(f"{self.path}: not a key store: {exc}") from exc
        self._stamp, self._verified = stamp, {}
        self._keys = {key.key_id: key for key in parsed.keys}
        return self._keys

    def _check_permissions(self, info: os.stat_result) -> None:
        folder = self.path.parent.stat()
        if stat.S_IMODE(info.st_mode) & _OWNER_ONLY or stat.S_IMODE(folder.st_mode) & _OWNER_ONLY:
            raise KeyStorePermissionError(
                f"{self.path}: the key store and its folder must be owner-only (0600 in 0700)"
            )

    def _write(self, keys: dict[str, StoredKey]) -> None:
        """Replace the file atomically, owner-only (lock held)."""
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        payload = KeyStoreFile(keys=sorted(keys.values(), key=lambda k: k.created_at))
        temporary = folder / f".{self.path.name}.{secrets.token_hex(4)}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(payload.model_dump_json(indent=2) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        self._stamp = None

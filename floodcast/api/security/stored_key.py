"""One API key as the key store keeps it: never the key itself, only a salted scrypt hash."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from floodcast.api.security.scopes import Scope

__all__ = ["StoredKey"]


class StoredKey(BaseModel):
    """An API key's id, owner, scopes and salted hash."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    key_id: str = Field(pattern=r"^[0-9a-f]{12}$")
    """Public part of the key, used to find its record."""
    name: str = Field(min_length=1, max_length=200)
    """Who or what the key is for."""
    scopes: tuple[Scope, ...]
    salt: str = Field(pattern=r"^[0-9a-f]{32}$")
    """Per-key random salt, hex."""
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    """scrypt(secret, salt), hex."""
    created_at: AwareDatetime
    revoked_at: AwareDatetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: Scope) -> bool:
        """Whether the key grants ``scope`` (``admin`` grants every scope)."""
        return scope in self.scopes or "admin" in self.scopes

    def revoked(self, at: datetime) -> StoredKey:
        """A copy of the record revoked at ``at``."""
        return self.model_copy(update={"revoked_at": at})


class KeyStoreFile(BaseModel):
    """The key store file's content."""

    model_config = ConfigDict(extra="forbid")

    format_version: int = Field(default=1, ge=1, le=1)
    keys: list[StoredKey] = Field(default_factory=list)

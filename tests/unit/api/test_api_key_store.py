"""The key store keeps salted hashes only, owner-only on disk, and follows revocations."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from floodcast.api.exceptions import KeyStoreCorruptError, KeyStorePermissionError, UnknownKeyError
from floodcast.api.security import ApiKeyStore


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_is_owner_only_and_holds_no_secret(tmp_path: Path) -> None:
    """The file is 0600 in a 0700 folder, and the key's secret appears nowhere in it."""
    store = ApiKeyStore(tmp_path / "secrets" / "keys.json")
    key, record = store.create("ops", ["paths:read"])
    assert _mode(store.path) == 0o600
    assert _mode(store.path.parent) == 0o700
    secret = key.split("_", 2)[2]
    text = store.path.read_text()
    assert secret not in text
    assert record.digest in text and record.salt in text


def test_salts_differ_per_key(tmp_path: Path) -> None:
    """Two keys get different salts, so equal secrets would still hash differently."""
    store = ApiKeyStore(tmp_path / "s" / "keys.json")
    _, first = store.create("a", ["predict"])
    _, second = store.create("b", ["predict"])
    assert first.salt != second.salt and first.digest != second.digest


def test_authenticate_round_trip_from_a_fresh_reader(tmp_path: Path) -> None:
    """A key made by one store object is accepted by another reading the same file."""
    path = tmp_path / "s" / "keys.json"
    key, record = ApiKeyStore(path).create("svc", ["predict", "paths:read"])
    reader = ApiKeyStore(path)
    assert reader.authenticate(key) == record
    assert reader.authenticate(key) == record  # second time from the verified cache
    assert reader.authenticate(key + "x") is None


def test_revoke_is_seen_by_a_running_reader(tmp_path: Path) -> None:
    """A reader that already verified a key refuses it once another process revokes it."""
    path = tmp_path / "s" / "keys.json"
    key, record = ApiKeyStore(path).create("svc", ["predict"])
    reader = ApiKeyStore(path)
    assert reader.authenticate(key) is not None
    revoked = ApiKeyStore(path, clock=lambda: datetime(2026, 5, 1, tzinfo=UTC)).revoke(
        record.key_id
    )
    assert revoked.revoked_at == datetime(2026, 5, 1, tzinfo=UTC)
    assert reader.authenticate(key) is None
    assert [r.active for r in reader.records()] == [False]


def test_revoke_unknown_key(tmp_path: Path) -> None:
    """Revoking an id that is not in the store is an UnknownKeyError."""
    with pytest.raises(UnknownKeyError):
        ApiKeyStore(tmp_path / "s" / "keys.json").revoke("0123456789ab")


def test_store_open_to_others_is_refused(tmp_path: Path) -> None:
    """A key store readable by the group is refused rather than trusted."""
    store = ApiKeyStore(tmp_path / "s" / "keys.json")
    store.create("svc", ["predict"])
    store.path.chmod(0o640)
    with pytest.raises(KeyStorePermissionError):
        ApiKeyStore(store.path).records()


def test_corrupt_store_is_refused(tmp_path: Path) -> None:
    """A file that is not a key store raises KeyStoreCorruptError."""
    folder = tmp_path / "s"
    folder.mkdir(mode=0o700)
    path = folder / "keys.json"
    path.write_text('{"keys": [{"key_id": "x"}]}')
    path.chmod(0o600)
    with pytest.raises(KeyStoreCorruptError):
        ApiKeyStore(path).records()


def test_missing_store_has_no_keys(tmp_path: Path) -> None:
    """Before the first key there is no file, and every key is refused."""
    store = ApiKeyStore(tmp_path / "s" / "keys.json")
    assert store.records() == []
    assert store.authenticate("fck_0123456789ab_secret") is None

"""``floodcast keys``, ``floodcast certs`` and ``floodcast model sign`` from the command line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from converters.package_signature import verify_signature
from floodcast.api.security import ApiKeyStore
from floodcast.cli import app
from schemas.settings import get_settings

CLI_KEY = "cli-signing-key-of-32-bytes-or-more"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings pointing at a temporary key store; the cached settings are reset around."""
    store = tmp_path / "secrets" / "keys.json"
    monkeypatch.setenv("FLOODCAST_API_KEY_STORE", str(store))
    monkeypatch.setenv("FLOODCAST_MODEL_HMAC_KEY", CLI_KEY)
    get_settings.cache_clear()
    yield store
    get_settings.cache_clear()


def test_keys_create_list_revoke(env: Path) -> None:
    """A created key authenticates; after revoke it does not; list shows both states."""
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "ops", "--scope", "paths:read"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    store = ApiKeyStore(env)
    record = store.authenticate(key)
    assert record is not None and record.scopes == ("paths:read",)
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    listed = runner.invoke(app, ["keys", "list"])
    assert record.key_id in listed.stdout
    assert runner.invoke(app, ["keys", "revoke", record.key_id]).exit_code == 0
    assert ApiKeyStore(env).authenticate(key) is None
    assert runner.invoke(app, ["keys", "revoke", "ffffffffffff"]).exit_code == 1


def test_keys_create_refuses_unknown_scope(env: Path) -> None:
    """Scopes outside paths:read, predict and admin are a usage error."""
    result = CliRunner().invoke(app, ["keys", "create", "ops", "--scope", "root"])
    assert result.exit_code == 2
    assert not env.exists()


def test_certs_writes_ca_and_server_files(tmp_path: Path) -> None:
    """``floodcast certs --out`` writes the four PEM files and prints the settings to use."""
    out = tmp_path / "tls"
    result = CliRunner().invoke(app, ["certs", "--out", str(out), "--host", "localhost"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "ca-key.pem",
        "ca.pem",
        "server-key.pem",
        "server.pem",
    ]
    assert f"FLOODCAST_API_TLS_CERTFILE={out / 'server.pem'}" in result.stdout


def test_model_sign(env: Path, package_dir: Path) -> None:
    """``floodcast model sign`` signs with FLOODCAST_MODEL_HMAC_KEY."""
    result = CliRunner().invoke(app, ["model", "sign", str(package_dir)])
    assert result.exit_code == 0, result.output
    verify_signature(package_dir, CLI_KEY.encode())

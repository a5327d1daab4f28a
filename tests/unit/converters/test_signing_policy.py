"""Issue 13: signing keys of at least 32 bytes; verify checks signatures; production needs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from converters.exceptions import PackageSignatureError
from converters.package_signature import sign_package, verify_signature
from floodcast.cli import app
from schemas.settings import Settings, get_settings

KEY = "a-signing-key-of-thirty-two-bytes!"


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Environment-driven settings, reset before and after the test."""
    for name in ("FLOODCAST_MODEL_HMAC_KEY", "FLOODCAST_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize("key", ["k", "k" * 31])
def test_a_short_key_is_a_config_error(key: str) -> None:
    """FLOODCAST_MODEL_HMAC_KEY shorter than 32 bytes is refused when settings are read."""
    with pytest.raises(ValidationError, match="32 bytes"):
        Settings(model_hmac_key=key)
    assert Settings(model_hmac_key="k" * 32).model_hmac_key is not None


def test_signing_with_a_short_key_is_refused(package_dir: Path) -> None:
    """sign and verify refuse a key under 32 bytes with a typed error (a ValueError)."""
    from converters.exceptions import SigningKeyError

    with pytest.raises(SigningKeyError):
        sign_package(package_dir, b"short")
    assert issubclass(SigningKeyError, ValueError)
    sign_package(package_dir, KEY.encode())
    with pytest.raises(SigningKeyError):
        verify_signature(package_dir, b"short")


def test_verify_checks_the_signature_when_a_key_is_set(
    settings_env: pytest.MonkeyPatch, package_dir: Path, tmp_path: Path
) -> None:
    """``floodcast model verify`` refuses an unsigned or wrongly signed package under a key."""
    settings_env.setenv("FLOODCAST_MODEL_HMAC_KEY", KEY)
    runner = CliRunner()
    unsigned = runner.invoke(app, ["model", "verify", str(package_dir)])
    assert unsigned.exit_code == 1
    assert "not signed" in unsigned.output
    other = Path(shutil.copytree(package_dir, tmp_path / "other"))
    sign_package(other, b"x" * 32)
    assert runner.invoke(app, ["model", "verify", str(other)]).exit_code == 1
    sign_package(package_dir, KEY.encode())
    signed = runner.invoke(app, ["model", "verify", str(package_dir)])
    assert signed.exit_code == 0, signed.output
    assert "signature" in signed.output


def test_the_production_profile_needs_a_signing_key() -> None:
    """FLOODCAST_PROFILE=production without a signing key is refused."""
    with pytest.raises(ValidationError, match="FLOODCAST_MODEL_HMAC_KEY"):
        Settings(profile="production")
    assert Settings(profile="production", model_hmac_key=KEY).profile == "production"


def test_the_production_profile_refuses_unsigned_packages(
    settings_env: pytest.MonkeyPatch, package_dir: Path
) -> None:
    """Under FLOODCAST_PROFILE=production an unsigned package is neither verified nor loaded."""
    from converters.releases import load_active_package

    settings_env.setenv("FLOODCAST_PROFILE", "production")
    settings_env.setenv("FLOODCAST_MODEL_HMAC_KEY", KEY)
    settings = get_settings()
    with pytest.raises(PackageSignatureError):
        load_active_package(None, package_dir, settings.model_signing_key)
    assert CliRunner().invoke(app, ["model", "verify", str(package_dir)]).exit_code == 1

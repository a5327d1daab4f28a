"""HMAC signatures: a signed package loads; unsigned, re-signed or altered ones are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from converters.exceptions import PackageIntegrityError, PackageSignatureError
from converters.manifest import MANIFEST_NAME
from converters.package_signature import (
    SIGNATURE_NAME,
    load_signed_package,
    sign_package,
    verify_signature,
)

KEY = b"test-signing-key-of-at-least-32-bytes"


def test_signed_package_loads(package_dir: Path) -> None:
    """A package signed with the key loads, and its manifest is the one signed."""
    sign_package(package_dir, KEY)
    package = load_signed_package(package_dir, KEY)
    assert package.manifest.name == "floodcast-test"


def test_unsigned_package_is_refused(package_dir: Path) -> None:
    """No signature file: refused."""
    with pytest.raises(PackageSignatureError, match="not signed"):
        load_signed_package(package_dir, KEY)


def test_other_key_is_refused(package_dir: Path) -> None:
    """A signature made with another key does not verify."""
    sign_package(package_dir, b"someone-else-with-a-key-of-32-bytes")
    with pytest.raises(PackageSignatureError, match="does not match"):
        verify_signature(package_dir, KEY)


def test_edited_manifest_is_refused(package_dir: Path) -> None:
    """Changing the manifest after signing (even its threshold) breaks the signature."""
    sign_package(package_dir, KEY)
    path = package_dir / MANIFEST_NAME
    manifest = json.loads(path.read_text())
    manifest["operating_threshold"] = 0.01
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    with pytest.raises(PackageSignatureError):
        load_signed_package(package_dir, KEY)


def test_altered_model_file_is_refused_by_its_digest(package_dir: Path) -> None:
    """A signed manifest still catches a swapped model file through its sha256."""
    sign_package(package_dir, KEY)
    (package_dir / "model.onnx.gz").write_bytes(b"not the model")
    with pytest.raises(PackageIntegrityError):
        load_signed_package(package_dir, KEY)


def test_signature_file_is_hex_hmac(package_dir: Path) -> None:
    """The signature is 64 hex digits beside the manifest."""
    signature = sign_package(package_dir, KEY)
    assert (package_dir / SIGNATURE_NAME).read_text().strip() == signature
    assert len(signature) == 64 and int(signature, 16) >= 0


def test_empty_key_is_refused(package_dir: Path) -> None:
    """An empty key would sign nothing: refused."""
    with pytest.raises(ValueError):
        sign_package(package_dir, b"")

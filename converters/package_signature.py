"""HMAC signatures of model packages: proof that a package was made by a holder of the key.

The manifest lists every file with its sha256, so an HMAC-SHA256 of the manifest's bytes
covers the whole package: :func:`load_signed_package` checks the signature, then every file's
digest, before anything is loaded.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from pydantic import ValidationError

from converters.exceptions import (
    PackageFormatError,
    PackageIncompleteError,
    PackageSignatureError,
)
from converters.manifest import MANIFEST_NAME, Manifest
from converters.model_package import ModelPackage, load_package

__all__ = ["SIGNATURE_NAME", "load_signed_package", "sign_package", "verify_signature"]

SIGNATURE_NAME = "manifest.json.hmac-sha256"
"""File beside the manifest holding the hex HMAC-SHA256 of the manifest's bytes."""


def _manifest_bytes(folder: Path) -> bytes:
    try:
        return (folder / MANIFEST_NAME).read_bytes()
    except FileNotFoundError as exc:
        raise PackageIncompleteError(f"{folder}: no manifest; not a model package") from exc


def _mac(key: bytes, manifest: bytes) -> str:
    if not key:
        raise ValueError("the signing key is empty")
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def sign_package(folder: Path, key: bytes) -> str:
    """Sign the package in ``folder`` (writes :data:`SIGNATURE_NAME`).

    Returns:
        The hex signature.
    """
    signature = _mac(key, _manifest_bytes(folder))
    (folder / SIGNATURE_NAME).write_text(signature + "\n")
    return signature


def verify_signature(folder: Path, key: bytes) -> bytes:
    """Check the package's signature.

    Returns:
        The manifest bytes the signature was checked over.

    Raises:
        PackageIncompleteError: there is no manifest.
        PackageSignatureError: the signature is missing or does not match.
    """
    manifest = _manifest_bytes(folder)
    try:
        stored = (folder / SIGNATURE_NAME).read_text().strip()
    except FileNotFoundError as exc:
        raise PackageSignatureError(f"{folder}: the package is not signed") from exc
    if not hmac.compare_digest(stored.encode(), _mac(key, manifest).encode()):
        raise PackageSignatureError(f"{folder}: the signature does not match the manifest")
    return manifest


def load_signed_package(folder: Path, key: bytes) -> ModelPackage:
    """Check the signature, then verify every file's sha256 and load the package.

    Raises:
        PackageSignatureError: the signature is missing or wrong, or the manifest changed
            between the signature check and the load.
        PackageError: any error of :func:`~converters.model_package.load_package`.
    """
    signed_bytes = verify_signature(folder, key)
    try:
        signed = Manifest.model_validate_json(signed_bytes)
    except ValidationError as exc:
        raise PackageFormatError(f"{folder}: invalid manifest: {exc}") from exc
    package = load_package(folder)
    if package.manifest != signed:
        raise PackageSignatureError(f"{folder}: the manifest changed while it was loaded")
    return package

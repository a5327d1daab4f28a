"""HMAC signatures of model packages: proof that a package was made by a holder of the key.

The manifest lists every file with its sha256, so an HMAC-SHA256 of the manifest's bytes
covers the whole package: :func:`load_signed_package` checks the signature, then every file's
digest, before anything is loaded.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from converters.exceptions import PackageIncompleteError, PackageSignatureError, SigningKeyError
from converters.manifest import MANIFEST_NAME, MAX_MANIFEST_BYTES
from converters.model_package import ModelPackage, decode_package, parse_manifest, verify_files
from converters.package_files import read_limited

__all__ = [
    "MIN_KEY_BYTES",
    "SIGNATURE_NAME",
    "load_signed_package",
    "sign_package",
    "verify_signature",
]

MIN_KEY_BYTES = 32
"""Shortest HMAC-SHA256 key accepted: as many bytes as the digest (RFC 2104 section 3)."""

SIGNATURE_NAME = "manifest.json.hmac-sha256"
"""File beside the manifest holding the hex HMAC-SHA256 of the manifest's bytes."""
MAX_SIGNATURE_BYTES = 1024
"""Largest signature file read."""


def _manifest_bytes(folder: Path) -> bytes:
    try:
        return read_limited(folder, MANIFEST_NAME, MAX_MANIFEST_BYTES)
    except PackageIncompleteError as exc:
        raise PackageIncompleteError(f"{folder}: no manifest; not a model package") from exc


def _mac(key: bytes, manifest: bytes) -> str:
    if len(key) < MIN_KEY_BYTES:
        raise SigningKeyError(f"the signing key has {len(key)} bytes; at least {MIN_KEY_BYTES}")
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def sign_package(folder: Path, key: bytes) -> str:
    """Sign the package in ``folder`` (writes :data:`SIGNATURE_NAME`).

    Returns:
        The hex signature.

    Raises:
        SigningKeyError: ``key`` is shorter than :data:`MIN_KEY_BYTES`.
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
        SigningKeyError: ``key`` is shorter than :data:`MIN_KEY_BYTES`.
    """
    manifest = _manifest_bytes(folder)
    try:
        stored = read_limited(folder, SIGNATURE_NAME, MAX_SIGNATURE_BYTES).strip()
    except PackageIncompleteError as exc:
        raise PackageSignatureError(f"{folder}: the package is not signed") from exc
    if not hmac.compare_digest(stored, _mac(key, manifest).encode()):
        raise PackageSignatureError(f"{folder}: the signature does not match the manifest")
    return manifest


def load_signed_package(folder: Path, key: bytes) -> ModelPackage:
    """Check the signature, then verify every file the signed manifest lists and load them.

    The manifest is read once: the bytes the signature was checked over are the ones parsed.

    Raises:
        PackageSignatureError: the signature is missing or wrong.
        PackageError: any error of :func:`~converters.model_package.load_package`.
    """
    signed = parse_manifest(verify_signature(folder, key), folder / MANIFEST_NAME)
    return decode_package(folder, *verify_files(folder, signed))

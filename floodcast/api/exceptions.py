"""Errors of the REST API: problems answered to clients, and key store and TLS failures."""

from __future__ import annotations

from collections.abc import Sequence

from floodcast.exceptions import FloodcastError
from schemas import FieldError

__all__ = [
    "ApiError",
    "CertificateError",
    "ForbiddenError",
    "InsecureBindError",
    "InvalidRequestError",
    "KeyStoreCorruptError",
    "KeyStoreError",
    "KeyStorePermissionError",
    "NoPredictionYetError",
    "NotAuthenticatedError",
    "NotReadyError",
    "PayloadTooLargeError",
    "ProblemError",
    "RateLimitedError",
    "UnknownBasinError",
    "UnknownKeyError",
]


class ApiError(FloodcastError):
    """Root of the REST API's errors."""


class ProblemError(ApiError):
    """A request failed in a way the client is told about as an RFC 9457 problem.

    Args:
        detail: what went wrong with this request, for a human.
        headers: extra response headers (e.g. ``Retry-After``).
    """

    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal-error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class InvalidRequestError(ProblemError):
    """The request is well-formed JSON but its content is not acceptable."""

    status = 422
    title = "Unprocessable Content"
    slug = "validation-error"

    def __init__(self, detail: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail)
        self.errors = tuple(errors)


class NotAuthenticatedError(ProblemError):
    """The request carries no API key, or one that is unknown, revoked or wrong."""

    status = 401
    title = "Unauthorized"
    slug = "not-authenticated"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="floodcast"'})


class ForbiddenError(ProblemError):
    """The API key is valid but lacks the scope the endpoint needs."""

    status = 403
    title = "Forbidden"
    slug = "missing-scope"


class RateLimitedError(ProblemError):
    """The API key has used up its request budget for now."""

    status = 429
    title = "Too Many Requests"
    slug = "rate-limited"


class PayloadTooLargeError(ProblemError):
    """The request body is larger than the API accepts."""

    status = 413
    title = "Content Too Large"
    slug = "payload-too-large"


class UnknownBasinError(ProblemError):
    """The basin is not served by the deployed model."""

    status = 404
    title = "Not Found"
    slug = "unknown-basin"


class NoPredictionYetError(ProblemError):
    """The basin is served, but no prediction for it has been seen on the topic yet."""

    status = 404
    title = "Not Found"
    slug = "no-prediction-yet"


class NotReadyError(ProblemError):
    """The API cannot serve yet (model not loaded, predictions not caught up)."""

    status = 503
    title = "Service Unavailable"
    slug = "not-ready"


class KeyStoreError(ApiError):
    """The API key store cannot be used."""


class KeyStoreCorruptError(KeyStoreError, ValueError):
    """The key store file does not parse as a key store."""


class KeyStorePermissionError(KeyStoreError):
    """The key store file or folder is readable or writable by others than its owner."""


class UnknownKeyError(KeyStoreError, KeyError):
    """No key with that id is in the store."""


class InsecureBindError(ApiError, ValueError):
    """The API was asked to serve plain HTTP beyond loopback, or TLS without a key."""


class CertificateError(ApiError):
    """Development certificates could not be made or read."""

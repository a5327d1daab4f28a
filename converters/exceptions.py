"""Errors of the converters package: river networks, features, ONNX export, model packages.

``ConverterError`` is the one root; third-party errors (onnxruntime, skl2onnx, OS and JSON
errors of a package's files) are raised as one of these, with the original as ``__cause__``.
"""

from __future__ import annotations


class ConverterError(Exception):
    """Root of the converters package's errors."""


class InvalidNetworkError(ConverterError, ValueError):
    """A river network is malformed (cycle, bad ordering, missing outlet, wrong shapes)."""


class FeatureError(ConverterError):
    """Root of the feature computations' errors."""


class CorruptFeatureStateError(FeatureError, ValueError):
    """Serialised feature state does not decode for the basin it is loaded for."""


class RainfallShapeError(FeatureError, ValueError):
    """A rainfall array does not have one column per gauge of the basin."""


class ForecastShapeError(FeatureError, ValueError):
    """A rain forecast does not fit the basin: wrong shape, sub-areas, or issue order."""


class ExportError(ConverterError):
    """A scikit-learn model could not be converted to ONNX."""


class ParityError(ExportError):
    """ONNX Runtime's outputs differ from scikit-learn's beyond the tolerance."""


class PackageError(ConverterError):
    """A model package cannot be used."""


class PackageIncompleteError(PackageError):
    """A file the manifest lists (or the manifest itself) is missing."""


class PackageIntegrityError(PackageError):
    """A file's sha256 differs from the manifest's: the package was altered or corrupted."""


class PackageFormatError(PackageError, ValueError):
    """The manifest is unreadable or describes something this version cannot load."""


class PackageSignatureError(PackageError):
    """The package's HMAC signature is missing or does not match the key: not ours, or altered."""


class SigningKeyError(ConverterError, ValueError):
    """The HMAC signing key is shorter than 32 bytes (issue 13): too weak to sign packages."""

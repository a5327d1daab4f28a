"""Errors raised while training, exporting and packaging models."""


class ConverterError(Exception):
    """Root of the converters' errors."""


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

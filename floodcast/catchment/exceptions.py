"""Errors raised by the catchment simulator (a malformed network is ``InvalidNetworkError``
of ``converters``, where the river network is defined)."""

from floodcast.exceptions import FloodcastError


class CatchmentError(FloodcastError):
    """Root of the catchment simulator's errors."""


class UnknownBasinError(CatchmentError, KeyError):
    """No built-in basin has the requested id."""


class InvalidStormError(CatchmentError, ValueError):
    """A storm or rain cell has a non-physical parameter (negative radius, intensity, duration)."""


class UnknownStormPresetError(CatchmentError, KeyError):
    """No preset storm has the requested name."""


class InvalidSimulationError(CatchmentError, ValueError):
    """A simulation was asked for with inconsistent or out-of-range arguments."""


class RoutingError(CatchmentError, ValueError):
    """Channel routing parameters cannot give a stable, non-negative Muskingum scheme."""


class CalibrationError(CatchmentError, RuntimeError):
    """Bankfull calibration could not reach its target (e.g. a reach never carries flow)."""

"""Errors raised by the catchment simulator."""


class CatchmentError(Exception):
    """Root of the catchment simulator's errors."""


class InvalidNetworkError(CatchmentError, ValueError):
    """A river network is malformed (cycle, bad ordering, missing outlet, wrong shapes)."""


class UnknownBasinError(CatchmentError, KeyError):
    """No built-in basin has the requested id."""

"""Errors raised while computing features."""


class FeatureError(Exception):
    """Root of the feature module's errors."""


class CorruptFeatureStateError(FeatureError, ValueError):
    """Serialised feature state does not decode for the basin it is loaded for."""


class RainfallShapeError(FeatureError, ValueError):
    """A rainfall array does not have one column per gauge of the basin."""

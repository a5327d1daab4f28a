"""Model features, computed identically by training (batch) and the stream (incremental)."""

from converters.exceptions import CorruptFeatureStateError, FeatureError, RainfallShapeError
from converters.features.batch import batch_features
from converters.features.geometry import BasinGeometry
from converters.features.incremental import IncrementalFeatures
from converters.features.spec import FEATURE_NAMES, N_FEATURES, STEP_MINUTES

__all__ = [
    "FEATURE_NAMES",
    "N_FEATURES",
    "STEP_MINUTES",
    "BasinGeometry",
    "CorruptFeatureStateError",
    "FeatureError",
    "IncrementalFeatures",
    "RainfallShapeError",
    "batch_features",
]

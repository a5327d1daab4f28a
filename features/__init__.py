"""Model features, computed identically by training (batch) and the stream (incremental)."""

from features.batch import batch_features
from features.exceptions import CorruptFeatureStateError, FeatureError, RainfallShapeError
from features.geometry import BasinGeometry
from features.incremental import IncrementalFeatures
from features.spec import FEATURE_NAMES, N_FEATURES, STEP_MINUTES

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

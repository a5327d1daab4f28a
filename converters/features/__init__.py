"""Model features, computed identically by training (batch) and the stream (incremental)."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "batch": ["batch_features"],
        "geometry": ["BasinGeometry"],
        "incremental": ["IncrementalFeatures"],
        "spec": ["FEATURE_NAMES", "N_FEATURES", "STEP_MINUTES"],
    },
)

"""Consumer lag: offsets and ages read from the broker, and a Burrow-style group status."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "lag_reader": ["LagReader"],
        "lag_window": ["LagWindow"],
        "partition_lag": ["GroupLag", "GroupStatus", "PartitionLag"],
    },
)

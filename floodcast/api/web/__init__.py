"""The operator page: river networks as drawable maps, a live event hub and its feeds."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "live_hub": ["LiveHub", "Subscription"],
        "network_map": ["BasinMap", "GaugeMarker", "ReachSegment", "basin_map"],
    },
)

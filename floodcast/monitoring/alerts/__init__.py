"""Alert rules and the engine that turns samples into firing and resolved alerts."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "alert_engine": ["AlertEngine"],
        "alert_rule": ["AlertRule", "Sample"],
    },
)

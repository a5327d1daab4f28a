"""Floodcast's REST API: predictions on request, the latest flood paths, the model in use."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "app": ["API_VERSION", "create_app"],
        "service_factory": ["build_services"],
        "services": ["ApiServices"],
    },
)

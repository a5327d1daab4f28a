"""Prometheus metrics of the stream worker."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "worker_metrics": ["CountsSource", "WorkerMetrics"],
    },
)

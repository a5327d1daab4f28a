"""The worker's per-batch logic: validate, deduplicate, slot, finalise, score, account."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "batch_processor": ["BatchProcessor", "StateLoader"],
        "batch_records": ["BatchResult", "ProcessorConfig", "SourceRecord"],
        "prediction_builder": ["build_prediction"],
    },
)

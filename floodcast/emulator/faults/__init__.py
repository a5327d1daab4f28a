"""Fault injection: broken payloads, duplicates, late readings and offline gauges."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "fault_config": ["FaultConfig", "OfflineGauge"],
        "fault_plan": ["FaultPlan", "StepGauge"],
        "payload_corruptor": [
            "RAIN_FIELDS",
            "STAGE_FIELDS",
            "MalformedKind",
            "PayloadCorruptor",
            "PayloadFields",
        ],
    },
)

"""Per-basin stream state: slots, dedupe windows, and their binary form."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "basin_state": ["AcceptVerdict", "BasinState", "FinalisedSlot"],
        "basin_state_codec": ["decode_basin_state", "encode_basin_state"],
        "dedupe_window": ["DedupeVerdict", "DedupeWindow"],
        "held_forecast": ["HeldForecast"],
        "pending_slot": ["PendingSlot"],
        "slot_spread": ["SLOT_SECONDS", "slot_of", "spread_over_slots"],
        "slot_stage": ["SlotStage"],
    },
)

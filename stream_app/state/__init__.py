"""Per-basin stream state: slots, dedupe windows, and their binary form."""

from stream_app.state.basin_state import AcceptVerdict, BasinState, FinalisedSlot
from stream_app.state.basin_state_codec import decode_basin_state, encode_basin_state
from stream_app.state.dedupe_window import DedupeVerdict, DedupeWindow
from stream_app.state.pending_slot import PendingSlot
from stream_app.state.slot_spread import SLOT_SECONDS, slot_of, spread_over_slots

__all__ = [
    "SLOT_SECONDS",
    "AcceptVerdict",
    "BasinState",
    "DedupeVerdict",
    "DedupeWindow",
    "FinalisedSlot",
    "PendingSlot",
    "decode_basin_state",
    "encode_basin_state",
    "slot_of",
    "spread_over_slots",
]

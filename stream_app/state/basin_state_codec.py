"""Compact binary form of a ``BasinState`` for its changelog-backed table.

Layout (little-endian): header; the feature state; readings per slot of the feature window;
per gauge the highest sequence and the dedupe bitmap; per open slot its start, readings, rain
and covered seconds per gauge; the last published path as reach indices.
"""

from __future__ import annotations

import struct

from converters.exceptions import CorruptFeatureStateError
from converters.features import BasinGeometry, IncrementalFeatures
from converters.features.spec import HISTORY_STEPS
from stream_app.exceptions import CorruptBasinStateError
from stream_app.state.basin_state import BasinState
from stream_app.state.dedupe_window import DedupeWindow
from stream_app.state.pending_slot import PendingSlot

__all__ = ["decode_basin_state", "encode_basin_state"]

_MAGIC = b"FCBS"
_VERSION = 1
# magic, version, gauges, window bytes, open slots, path length (or _NO_PATH), feature bytes,
# next slot, watermark, last published, applied offset
_HEADER = struct.Struct("<4sHHHHIIqqqq")
_NONE = -(2**63)
_NO_PATH = 0xFFFFFFFF
_READINGS = struct.Struct(f"<{HISTORY_STEPS}I")


def _opt(value: int | None) -> int:
    return _NONE if value is None else value


def _unopt(value: int) -> int | None:
    return None if value == _NONE else value


def encode_basin_state(state: BasinState) -> bytes:
    """Serialise ``state``."""
    n = state.geometry.n_gauges
    features = state.features.to_bytes()
    window_bytes = state.windows[0].size // 8
    path = state.last_path
    reach_index = {reach: i for i, reach in enumerate(state.geometry.reach_ids)} if path else {}
    parts = [
        _HEADER.pack(
            _MAGIC,
            _VERSION,
            n,
            window_bytes,
            len(state.pending),
            _NO_PATH if path is None else len(path),
            len(features),
            _opt(state.next_slot),
            _opt(state.watermark),
            _opt(state.last_published),
            state.applied_offset,
        ),
        features,
        _READINGS.pack(*state.slot_readings),
        struct.pack(f"<{n}q", *(window.highest for window in state.windows)),
        *(window.to_bytes() for window in state.windows),
    ]
    slot_format = struct.Struct(f"<qI{n}d{n}i")
    for start, slot in sorted(state.pending.items()):
        parts.append(slot_format.pack(start, slot.readings, *slot.rain, *slot.covered))
    if path:
        parts.append(struct.pack(f"<{len(path)}H", *(reach_index[r] for r in path)))
    return b"".join(parts)


def decode_basin_state(geometry: BasinGeometry, data: bytes, dedupe_window: int) -> BasinState:
    """Restore a state written by :func:`encode_basin_state`.

    Args:
        geometry: the basin the state belongs to.
        data: the serialised state.
        dedupe_window: the configured window; a state written with another size is adapted.

    Raises:
        CorruptBasinStateError: the bytes are not a state of this basin.
    """
    try:
        return _decode(geometry, data, dedupe_window)
    except (struct.error, IndexError, CorruptFeatureStateError) as exc:
        raise CorruptBasinStateError(f"basin {geometry.basin_id}: {exc}") from exc


def _decode(geometry: BasinGeometry, data: bytes, dedupe_window: int) -> BasinState:
    (magic, version, n, window_bytes, n_pending, path_len, features_len, next_slot, watermark,
     last_published, applied_offset) = _HEADER.unpack_from(data)  # fmt: skip
    if magic != _MAGIC or version != _VERSION or n != geometry.n_gauges:
        raise CorruptBasinStateError(
            f"basin {geometry.basin_id}: header {magic!r} v{version} for {n} gauges does not fit"
        )
    state = BasinState(geometry, dedupe_window)
    offset = _HEADER.size
    state.features = IncrementalFeatures.from_bytes(geometry, data[offset : offset + features_len])
    offset += features_len
    state.slot_readings = list(_READINGS.unpack_from(data, offset))
    offset += _READINGS.size
    highest = struct.unpack_from(f"<{n}q", data, offset)
    offset += 8 * n
    windows = []
    for g in range(n):
        bitmap = data[offset : offset + window_bytes]
        windows.append(DedupeWindow.from_bytes(dedupe_window, highest[g], bitmap))
        offset += window_bytes
    state.windows = windows
    slot_format = struct.Struct(f"<qI{n}d{n}i")
    for _ in range(n_pending):
        values = slot_format.unpack_from(data, offset)
        offset += slot_format.size
        slot = PendingSlot(n)
        slot.readings = values[1]
        slot.rain = list(values[2 : 2 + n])
        slot.covered = list(values[2 + n :])
        state.pending[values[0]] = slot
    if path_len != _NO_PATH:
        indices = struct.unpack_from(f"<{path_len}H", data, offset)
        offset += 2 * path_len
        state.last_path = tuple(geometry.reach_ids[i] for i in indices)
    if offset != len(data):
        raise CorruptBasinStateError(
            f"basin {geometry.basin_id}: {len(data) - offset} bytes left after the state"
        )
    state.next_slot = _unopt(next_slot)
    state.watermark = _unopt(watermark)
    state.last_published = _unopt(last_published)
    state.applied_offset = applied_offset
    return state

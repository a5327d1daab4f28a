"""Compact binary form of a ``BasinState`` for its changelog-backed table.

Layout (little-endian): header; the feature state; readings per slot of the feature window;
per gauge the highest sequence and the dedupe bitmap; per open slot its start, readings, rain
and covered seconds per gauge; the last published path as reach indices; then (version 2) the
river-level section: the number of stage sensors, of open slots with stage readings and the
stage watermark, per
sensor the highest sequence and the dedupe bitmap, and per such slot its start, stage readings,
and per sensor the kept stage and its observation time; then (version 3) the held rain
forecasts: their number, and per forecast its id (length and UTF-8), issue time, slot, whether
applied, and its (FORECAST_STEPS, gauges) values.

A version 1 state (before the stream carried river levels) is migrated on reading: its stage
sensors start with empty dedupe windows and its open slots without stage readings. A version 1
or 2 state (before the stream carried rain forecasts) is migrated with no forecast held.
"""

from __future__ import annotations

import struct

import numpy as np

from converters.exceptions import CorruptFeatureStateError
from converters.features import BasinGeometry, IncrementalFeatures
from converters.features.spec import HISTORY_STEPS
from schemas.rain_forecast import FORECAST_STEPS
from stream_app.exceptions import CorruptBasinStateError
from stream_app.state.basin_state import BasinState
from stream_app.state.dedupe_window import DedupeWindow
from stream_app.state.held_forecast import HeldForecast
from stream_app.state.pending_slot import PendingSlot
from stream_app.state.slot_stage import SlotStage

__all__ = ["decode_basin_state", "encode_basin_state"]

_MAGIC = b"FCBS"
_VERSION = 3
_VERSION_WITHOUT_FORECAST = 2
_VERSION_WITHOUT_STAGE = 1
# magic, version, gauges, window bytes, open slots, path length (or _NO_PATH), feature bytes,
# next slot, watermark, last published, applied offset
_HEADER = struct.Struct("<4sHHHHIIqqqq")
_NONE = -(2**63)
_NO_PATH = 0xFFFFFFFF
_READINGS = struct.Struct(f"<{HISTORY_STEPS}I")
_STAGE_HEADER = struct.Struct("<HIq")  # stage sensors, open slots with stage, stage watermark
_FORECAST_COUNT = struct.Struct("<H")  # held forecasts
_FORECAST_HEADER = struct.Struct("<HqqB")  # id bytes, issued at, slot, applied


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
        _encode_windows(state.windows),
    ]
    slot_format = struct.Struct(f"<qI{n}d{n}i")
    for start, slot in sorted(state.pending.items()):
        parts.append(slot_format.pack(start, slot.readings, *slot.rain, *slot.covered))
    if path:
        parts.append(struct.pack(f"<{len(path)}H", *(reach_index[r] for r in path)))
    parts.append(_encode_stage(state))
    parts.append(_encode_forecasts(state.forecasts))
    return b"".join(parts)


def _encode_windows(windows: list[DedupeWindow]) -> bytes:
    """Dedupe windows (of gauges or stage sensors): every highest sequence, then every bitmap."""
    highest = struct.pack(f"<{len(windows)}q", *(window.highest for window in windows))
    return highest + b"".join(window.to_bytes() for window in windows)


def _decode_windows(
    data: bytes, offset: int, count: int, window_bytes: int, dedupe_window: int
) -> tuple[list[DedupeWindow], int]:
    """Read ``count`` windows written by :func:`_encode_windows`; them and the offset after."""
    highest = struct.unpack_from(f"<{count}q", data, offset)
    offset += 8 * count
    windows = []
    for source in range(count):
        bitmap = data[offset : offset + window_bytes]
        windows.append(DedupeWindow.from_bytes(dedupe_window, highest[source], bitmap))
        offset += window_bytes
    return windows, offset


def _encode_forecasts(forecasts: list[HeldForecast]) -> bytes:
    """The forecast section: the held forecasts."""
    parts = [_FORECAST_COUNT.pack(len(forecasts))]
    for held in forecasts:
        forecast_id = held.forecast_id.encode()
        parts.append(
            _FORECAST_HEADER.pack(len(forecast_id), held.issued_at, held.slot, held.applied)
        )
        parts.append(forecast_id)
        parts.append(held.rain_mm.astype("<f8").tobytes())
    return b"".join(parts)


def _encode_stage(state: BasinState) -> bytes:
    """The river-level section: sensor dedupe windows and the open slots' stage readings."""
    m = len(state.sensor_windows)
    staged = [
        (start, slot.stage)
        for start, slot in sorted(state.pending.items())
        if slot.stage is not None
    ]
    parts = [
        _STAGE_HEADER.pack(m, len(staged), _opt(state.stage_watermark)),
        _encode_windows(state.sensor_windows),
    ]
    slot_format = struct.Struct(f"<qI{m}d{m}q")
    for start, stage in staged:
        parts.append(slot_format.pack(start, stage.readings, *stage.stage_m, *stage.at))
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
    if (
        magic != _MAGIC
        or version not in (_VERSION, _VERSION_WITHOUT_FORECAST, _VERSION_WITHOUT_STAGE)
        or n != geometry.n_gauges
    ):
        raise CorruptBasinStateError(
            f"basin {geometry.basin_id}: header {magic!r} v{version} for {n} gauges does not fit"
        )
    state = BasinState(geometry, dedupe_window)
    offset = _HEADER.size
    state.features = IncrementalFeatures.from_bytes(geometry, data[offset : offset + features_len])
    offset += features_len
    state.slot_readings = list(_READINGS.unpack_from(data, offset))
    offset += _READINGS.size
    state.windows, offset = _decode_windows(data, offset, n, window_bytes, dedupe_window)
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
    if version >= _VERSION_WITHOUT_FORECAST:
        offset = _decode_stage(state, data, offset, window_bytes, dedupe_window)
    if version >= _VERSION:
        offset = _decode_forecasts(state, data, offset)
    if offset != len(data):
        raise CorruptBasinStateError(
            f"basin {geometry.basin_id}: {len(data) - offset} bytes left after the state"
        )
    state.next_slot = _unopt(next_slot)
    state.watermark = _unopt(watermark)
    state.last_published = _unopt(last_published)
    state.applied_offset = applied_offset
    return state


def _decode_stage(
    state: BasinState, data: bytes, offset: int, window_bytes: int, dedupe_window: int
) -> int:
    """Read the river-level section at ``offset`` into ``state``; the offset after it."""
    geometry = state.geometry
    m, n_staged, stage_watermark = _STAGE_HEADER.unpack_from(data, offset)
    if m != geometry.stage.n_sensors:
        raise CorruptBasinStateError(
            f"basin {geometry.basin_id}: {m} stage sensors, expected {geometry.stage.n_sensors}"
        )
    offset += _STAGE_HEADER.size
    state.sensor_windows, offset = _decode_windows(data, offset, m, window_bytes, dedupe_window)
    state.stage_watermark = _unopt(stage_watermark)
    slot_format = struct.Struct(f"<qI{m}d{m}q")
    for _ in range(n_staged):
        values = slot_format.unpack_from(data, offset)
        offset += slot_format.size
        stage = SlotStage(m)
        stage.readings = values[1]
        stage.stage_m = list(values[2 : 2 + m])
        stage.at = list(values[2 + m :])
        slot = state.pending.get(values[0])
        if slot is None:
            slot = state.pending[values[0]] = PendingSlot(geometry.n_gauges)
        slot.stage = stage
    return offset


def _decode_forecasts(state: BasinState, data: bytes, offset: int) -> int:
    """Read the forecast section at ``offset`` into ``state``; the offset after it."""
    (held,) = _FORECAST_COUNT.unpack_from(data, offset)
    offset += _FORECAST_COUNT.size
    count = FORECAST_STEPS * state.geometry.n_gauges
    for _ in range(held):
        id_len, issued_at, slot, applied = _FORECAST_HEADER.unpack_from(data, offset)
        offset += _FORECAST_HEADER.size
        raw_id = data[offset : offset + id_len]
        if len(raw_id) != id_len:
            raise CorruptBasinStateError(f"basin {state.geometry.basin_id}: forecast id cut")
        try:
            forecast_id = raw_id.decode()
        except UnicodeDecodeError as exc:
            raise CorruptBasinStateError(f"basin {state.geometry.basin_id}: forecast id") from exc
        offset += id_len
        values = struct.unpack_from(f"<{count}d", data, offset)
        offset += 8 * count
        rain_mm = np.array(values, dtype=np.float64).reshape(FORECAST_STEPS, -1)
        state.forecasts.append(HeldForecast(forecast_id, issued_at, slot, rain_mm, bool(applied)))
    return offset

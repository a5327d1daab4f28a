"""A data logger's uploads: each gauge's buffered readings sent as one SenML pack (RFC 8428).

The pack follows the mapping of ``schemas.senml``: base name, base time and base unit in the
first record, then one ``rainfall`` record per interval with its time offset and sequence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from floodcast.emulator.publisher import KeyValue
from schemas.senml import NAME_PREFIX, RAINFALL_NAME, UNIT

__all__ = ["SenMLPacker"]


class SenMLPacker:
    """Buffers one basin's readings per gauge and turns each gauge's buffer into one pack.

    Args:
        basin_id: the basin of every gauge.
        gauge_ids: the basin's gauges, by index.
        interval_minutes: every reading's interval (written as ``ivl`` when not 15).
    """

    def __init__(self, basin_id: str, gauge_ids: Sequence[str], interval_minutes: int) -> None:
        self._names = [f"{NAME_PREFIX}{basin_id}:{gauge}:" for gauge in gauge_ids]
        self._interval = interval_minutes
        self._held: list[list[tuple[int, int, float]]] = [[] for _ in gauge_ids]

    @property
    def held(self) -> int:
        """Readings buffered and not packed yet."""
        return sum(map(len, self._held))

    def add(self, gauge: int, sequence: int, end_epoch: int, rainfall_mm: float) -> None:
        """Buffer one reading of gauge index ``gauge``."""
        self._held[gauge].append((sequence, end_epoch, rainfall_mm))

    def flush(self, key: bytes, out: list[KeyValue]) -> int:
        """Append one pack per gauge with buffered readings to ``out``; return the packs made."""
        packs = 0
        for gauge, held in enumerate(self._held):
            if held:
                out.append((key, self.encode(gauge, held)))
                held.clear()
                packs += 1
        return packs

    def encode(self, gauge: int, readings: Sequence[tuple[int, int, float]]) -> bytes:
        """One gauge's ``(sequence, interval end epoch s, rainfall)`` readings as a pack."""
        base_time = readings[0][1]
        records: list[dict[str, object]] = [
            {"n": RAINFALL_NAME, "v": rain, "t": end - base_time, "seq": seq}
            for seq, end, rain in readings
        ]
        first: dict[str, object] = {"bn": self._names[gauge], "bt": base_time, "bu": UNIT}
        if self._interval != 15:
            first["ivl"] = self._interval
        records[0] = {**first, **records[0]}
        return json.dumps(records, separators=(",", ":")).encode()

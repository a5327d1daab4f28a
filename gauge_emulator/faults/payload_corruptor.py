"""Turn a valid reading payload into one of the ``MalformedKind`` broken payloads."""

from __future__ import annotations

import json
from collections.abc import Set
from typing import Any

import numpy as np

from gauge_emulator.faults.malformed_kind import MalformedKind
from schemas import MAX_RAINFALL_MM

_COMPACT = (",", ":")


class PayloadCorruptor:
    """Builds broken payloads from valid ones; only used for the few injected faults.

    Args:
        max_message_bytes: size limit of the stream worker; oversize payloads exceed it.
        known_gauge_ids: every real gauge id, so an "unknown" gauge never collides with one.
    """

    def __init__(self, *, max_message_bytes: int, known_gauge_ids: Set[str]) -> None:
        self._max_bytes = max_message_bytes
        self._known = frozenset(known_gauge_ids)

    def corrupt(self, kind: MalformedKind, payload: bytes, rng: np.random.Generator) -> bytes:
        """A broken variant of ``payload`` (a valid ``GaugeReading`` JSON document).

        Args:
            kind: how to break it.
            payload: the valid reading's bytes.
            rng: source of the variant's random details (cut point, values, padding).

        Returns:
            The broken payload.
        """
        reading: dict[str, Any] = json.loads(payload)
        if kind is MalformedKind.BAD_JSON:
            cut = int(rng.integers(1, len(payload) - 1))
            return payload[:cut]
        if kind is MalformedKind.WRONG_TYPE:
            reading["rainfall_mm"] = str(reading["rainfall_mm"])
        elif kind is MalformedKind.NAN:
            reading["rainfall_mm"] = float("nan")
        elif kind is MalformedKind.OUT_OF_BOUNDS:
            reading["rainfall_mm"] = -0.2 if rng.random() < 0.5 else MAX_RAINFALL_MM + 100.0
        elif kind is MalformedKind.UNKNOWN_GAUGE:
            reading["gauge_id"] = self._unknown_gauge_id(rng)
        # json.dumps writes NaN as the bare literal NaN, which is exactly the fault wanted.
        text = json.dumps(reading, separators=_COMPACT)
        if kind is MalformedKind.NOT_UTF8:
            return text.encode().replace(b'"quality":"', b'"quality":"\xff', 1)
        if kind is MalformedKind.OVERSIZE:
            # Whitespace keeps the JSON valid, so size is the only thing wrong with it.
            pad = self._max_bytes + 1 + int(rng.integers(0, 64)) - len(text.encode())
            text = "{" + " " * max(pad, 0) + text[1:]
        return text.encode()

    def _unknown_gauge_id(self, rng: np.random.Generator) -> str:
        """A syntactically valid gauge id that no emulated basin has."""
        while True:
            candidate = f"unregistered-{int(rng.integers(0, 10_000)):04d}"
            if candidate not in self._known:
                return candidate

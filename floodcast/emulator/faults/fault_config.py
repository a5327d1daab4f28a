"""Which faults to inject and how often, and the ``--faults`` text form of that choice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from floodcast.emulator.exceptions import FaultSpecError
from floodcast.emulator.faults.payload_corruptor import MalformedKind

Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class OfflineGauge(BaseModel):
    """Gauge ``gauge_id`` sends nothing from step ``from_step`` on (default: half-way)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gauge_id: str = Field(min_length=1)
    from_step: int | None = Field(default=None, ge=0)
    """First step the gauge misses; ``None`` means the middle of the run."""

    def first_missing_step(self, n_steps: int) -> int:
        """The first step withheld in a run of ``n_steps`` steps."""
        return n_steps // 2 if self.from_step is None else self.from_step


_KINDS = frozenset(kind.value for kind in MalformedKind)


class FaultConfig(BaseModel):
    """Per-reading fault probabilities and the gauges that go offline.

    Every probability applies independently to each reading a gauge sends. Malformed
    payloads and duplicates are sent in addition to the valid reading; late readings are
    the valid reading itself, held back.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    duplicates: Probability = 0.0
    """A reading is sent a second time, unchanged, after the rest of its step."""
    malformed: Mapping[MalformedKind, Probability] = Field(default_factory=dict)
    """Per kind: a broken payload is sent after the reading it was made from."""
    late: Probability = 0.0
    """A reading is held back by fewer steps than the allowed lateness."""
    too_late: Probability = 0.0
    """A reading is held back by more steps than the allowed lateness."""
    offline: tuple[OfflineGauge, ...] = ()

    @model_validator(mode="after")
    def _check_totals(self) -> Self:
        if sum(self.malformed.values()) > 1.0:
            raise ValueError("malformed probabilities add up to more than 1")
        if self.late + self.too_late > 1.0:
            raise ValueError("late and too_late add up to more than 1")
        ids = [gauge.gauge_id for gauge in self.offline]
        if len(set(ids)) != len(ids):
            raise ValueError("a gauge is listed offline twice")
        return self

    @property
    def malformed_total(self) -> float:
        """Probability that a reading is followed by a broken payload of any kind."""
        return sum(self.malformed.values())

    @property
    def any(self) -> bool:
        """Whether any fault is configured at all."""
        return bool(
            self.duplicates or self.malformed_total or self.late or self.too_late or self.offline
        )

    @classmethod
    def parse(cls, spec: str) -> Self:
        """Read a comma-separated fault specification.

        Keys: ``duplicates``, ``late``, ``too_late`` and ``malformed`` (spread evenly over all
        kinds) take a probability; each ``MalformedKind`` value (``nan``, ``oversize``, ...)
        takes its own probability, overriding ``malformed``; ``offline`` takes ``GAUGE`` or
        ``GAUGE@STEP`` and may repeat. Example: ``duplicates=0.01,malformed=0.005,offline=G1``.

        Args:
            spec: the specification; empty means no faults.

        Returns:
            The fault configuration.

        Raises:
            FaultSpecError: for an unknown key, a malformed entry or an invalid value.
        """
        fields: dict[str, object] = {}
        malformed: dict[MalformedKind, float] = {}
        spread: float | None = None
        offline: list[OfflineGauge] = []
        try:
            for key, value in _entries(spec):
                if key == "offline":
                    offline.append(_offline(value))
                elif key == "malformed":
                    spread = _probability(key, value)
                elif key in _KINDS:
                    malformed[MalformedKind(key)] = _probability(key, value)
                elif key in ("duplicates", "late", "too_late"):
                    fields[key] = _probability(key, value)
                else:
                    raise FaultSpecError(f"unknown fault {key!r}")
            if spread is not None:
                each = spread / len(MalformedKind)
                malformed = {kind: malformed.get(kind, each) for kind in MalformedKind}
            return cls(malformed=malformed, offline=tuple(offline), **fields)
        except ValidationError as exc:
            raise FaultSpecError(f"invalid fault specification {spec!r}: {exc}") from exc

    def to_spec(self) -> str:
        """The specification text that ``parse`` turns back into this configuration."""
        parts = [
            f"{key}={getattr(self, key)!r}"
            for key in ("duplicates", "late", "too_late")
            if getattr(self, key)
        ]
        parts += [f"{kind.value}={p!r}" for kind, p in self.malformed.items() if p]
        for gauge in self.offline:
            at = "" if gauge.from_step is None else f"@{gauge.from_step}"
            parts.append(f"offline={gauge.gauge_id}{at}")
        return ",".join(parts)


def _entries(spec: str) -> list[tuple[str, str]]:
    """``key=value`` pairs of a specification, in order."""
    entries = []
    for raw in spec.split(","):
        item = raw.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise FaultSpecError(f"expected key=value, got {item!r}")
        entries.append((key.strip().lower(), value.strip()))
    return entries


def _probability(key: str, value: str) -> float:
    try:
        probability = float(value)
    except ValueError as exc:
        raise FaultSpecError(f"{key}: {value!r} is not a number") from exc
    if not 0.0 <= probability <= 1.0:
        raise FaultSpecError(f"{key}: probability {probability} is outside [0, 1]")
    return probability


def _offline(value: str) -> OfflineGauge:
    gauge_id, sep, step = value.partition("@")
    if not sep:
        return OfflineGauge(gauge_id=gauge_id)
    try:
        return OfflineGauge(gauge_id=gauge_id, from_step=int(step))
    except ValueError as exc:
        raise FaultSpecError(f"offline: {value!r} is not GAUGE@STEP with a step >= 0") from exc

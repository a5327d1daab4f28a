"""Storms as moving Gaussian rain cells.

A storm is a rain body (a broad Gaussian patch) carried at a constant velocity, optionally with
embedded convective cells that ride along with it. At distance ``d`` from a cell's centre the
rain rate is ``peak_mm_h * envelope(t) * exp(-(d / radius_km) ** 2)``: ``radius_km`` is where the
rate has fallen to 1/e of the centre rate. ``envelope`` is a trapezoid in time (20 % rise,
plateau, 30 % decay) over the storm's (or cell's) lifetime, the usual growth-mature-decay shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from floodcast.catchment.exceptions import InvalidStormError

StormKind = Literal["convective", "frontal", "stalled"]
"""Convective clusters, frontal rain bands, and slow mesoscale systems that stall over a basin."""


def _check_positive(owner: str, **values: float) -> None:
    """Raise ``InvalidStormError`` unless every value is finite and positive."""
    for name, value in values.items():
        if not (math.isfinite(value) and value > 0):
            raise InvalidStormError(f"{owner}: {name} must be finite and positive, got {value!r}")


@dataclass(frozen=True)
class RainCell:
    """A convective cell inside a storm, placed relative to the storm centre and moving with it.

    Attributes:
        offset_x_km: east offset from the storm centre.
        offset_y_km: north offset from the storm centre.
        radius_km: 1/e radius of the rain rate.
        peak_mm_h: centre rain rate at the height of the cell's life.
        start_offset_steps: steps after the storm start when the cell appears.
        duration_steps: lifetime in steps; ``None`` lives until the storm ends.
    """

    offset_x_km: float
    offset_y_km: float
    radius_km: float
    peak_mm_h: float
    start_offset_steps: int = 0
    duration_steps: int | None = None

    def __post_init__(self) -> None:
        _check_positive("rain cell", radius_km=self.radius_km, peak_mm_h=self.peak_mm_h)
        if not (math.isfinite(self.offset_x_km) and math.isfinite(self.offset_y_km)):
            raise InvalidStormError("rain cell: offsets must be finite")
        if self.start_offset_steps < 0:
            raise InvalidStormError("rain cell: start_offset_steps must be >= 0")
        if self.duration_steps is not None and self.duration_steps < 1:
            raise InvalidStormError("rain cell: duration_steps must be >= 1")


@dataclass(frozen=True)
class Storm:
    """A storm: a moving rain body plus optional embedded cells.

    Attributes:
        start_step: simulation step at which the storm starts.
        duration_steps: lifetime of the storm in steps.
        centre_x_km: east position of the storm centre at ``start_step``.
        centre_y_km: north position of the storm centre at ``start_step``.
        velocity_x_kmh: eastward speed of the storm centre.
        velocity_y_kmh: northward speed of the storm centre.
        radius_km: 1/e radius of the rain body.
        peak_mm_h: centre rain rate of the body (0 for a pure cluster of cells).
        kind: storm type, for reporting and seasonality.
        cells: embedded convective cells.
    """

    start_step: int
    duration_steps: int
    centre_x_km: float
    centre_y_km: float
    velocity_x_kmh: float
    velocity_y_kmh: float
    radius_km: float
    peak_mm_h: float
    kind: StormKind = "frontal"
    cells: tuple[RainCell, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.duration_steps < 1:
            raise InvalidStormError("storm: duration_steps must be >= 1")
        _check_positive("storm", radius_km=self.radius_km)
        numbers = (self.centre_x_km, self.centre_y_km, self.velocity_x_kmh, self.velocity_y_kmh)
        if not all(math.isfinite(v) for v in numbers):
            raise InvalidStormError("storm: position and velocity must be finite")
        if not (math.isfinite(self.peak_mm_h) and self.peak_mm_h >= 0):
            raise InvalidStormError("storm: peak_mm_h must be finite and >= 0")
        if self.peak_mm_h == 0 and not self.cells:
            raise InvalidStormError("storm: a storm without a rain body needs at least one cell")
        for cell in self.cells:
            if cell.start_offset_steps >= self.duration_steps:
                raise InvalidStormError("storm: a cell starts after the storm has ended")

    @property
    def end_step(self) -> int:
        """First step after the storm (exclusive end)."""
        return self.start_step + self.duration_steps

    @property
    def speed_kmh(self) -> float:
        """Ground speed of the storm centre."""
        return math.hypot(self.velocity_x_kmh, self.velocity_y_kmh)

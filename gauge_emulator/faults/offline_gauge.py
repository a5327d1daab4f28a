"""A gauge that stops reporting part-way through a run."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OfflineGauge(BaseModel):
    """Gauge ``gauge_id`` sends nothing from step ``from_step`` on (default: half-way)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gauge_id: str = Field(min_length=1)
    from_step: int | None = Field(default=None, ge=0)
    """First step the gauge misses; ``None`` means the middle of the run."""

    def first_missing_step(self, n_steps: int) -> int:
        """The first step withheld in a run of ``n_steps`` steps."""
        return n_steps // 2 if self.from_step is None else self.from_step

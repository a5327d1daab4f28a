"""What a training run does: basins, simulated period, seed, split, horizon."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from catchment import list_basins


class TrainingConfig(BaseModel):
    """A reproducible training run: the same config and seed give the same package."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "floodcast-flood-path"
    version: str = "1.0.0"
    basins: tuple[str, ...] = Field(default_factory=lambda: tuple(list_basins()))
    seed: int = 20261125
    days: float = Field(default=730.0, gt=1)
    """Simulated days per basin."""
    horizon_hours: int = Field(default=6, ge=1, le=24)
    dry_keep_fraction: float = Field(default=0.03, ge=0, le=1)
    test_fraction: float = Field(default=0.25, gt=0, lt=1)
    """Share of storm events held out for the final evaluation."""
    validation_fraction: float = Field(default=0.2, gt=0, lt=1)
    """Share of the remaining events used to pick the family and the threshold."""
    max_train_rows: int = Field(default=300_000, ge=1_000)
    """Classifier training rows are sampled down to this many, which bounds training time."""

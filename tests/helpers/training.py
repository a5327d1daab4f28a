"""Training settings for test models."""

from __future__ import annotations

FAST_TRAINING: dict[str, object] = {
    "split_seeds": 1,
    "bootstrap_replicates": 50,
    "upper_bound": False,
}
"""TrainingConfig fields for a test model that only has to work: one split, no upper bound."""

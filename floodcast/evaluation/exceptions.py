"""Errors raised while evaluating the running stream."""

from __future__ import annotations

from floodcast.exceptions import FloodcastError

__all__ = [
    "EvaluationConfigError",
    "EvaluationError",
    "IncompletePlaybackError",
    "MissingObservationsError",
    "PackageMismatchError",
    "TrainingSeedError",
]


class EvaluationError(FloodcastError):
    """Root of the stream evaluation's errors."""


class EvaluationConfigError(EvaluationError, ValueError):
    """The evaluation was asked for something it cannot do (unknown basin, bad length)."""


class TrainingSeedError(EvaluationConfigError):
    """The seed would replay storms the model was trained on."""


class PackageMismatchError(EvaluationError):
    """The model package does not serve a simulated basin as the simulator draws it."""


class IncompletePlaybackError(EvaluationError):
    """The worker did not account for every reading the emulator sent in time."""


class MissingObservationsError(EvaluationError):
    """The flood-observations topic does not cover every simulated step."""

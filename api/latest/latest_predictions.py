"""The newest flood-path prediction per basin, as seen on the predictions topic."""

from __future__ import annotations

import threading

from schemas import FloodPathPrediction

__all__ = ["LatestPredictions"]


class LatestPredictions:
    """Keeps, per basin, the prediction with the latest watermark (then the latest issue).

    A replayed or out-of-order older message never replaces a newer one. Thread-safe: the
    follower thread writes while request handlers read.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, FloodPathPrediction] = {}

    def offer(self, prediction: FloodPathPrediction) -> bool:
        """Keep ``prediction`` if it is newer than the basin's current one.

        Returns:
            Whether it was kept.
        """
        order = (prediction.watermark, prediction.issued_at)
        with self._lock:
            current = self._latest.get(prediction.basin_id)
            if current is not None and (current.watermark, current.issued_at) >= order:
                return False
            self._latest[prediction.basin_id] = prediction
            return True

    def get(self, basin_id: str) -> FloodPathPrediction | None:
        """The basin's latest prediction, if one was seen."""
        with self._lock:
            return self._latest.get(basin_id)

    def __len__(self) -> int:
        with self._lock:
            return len(self._latest)

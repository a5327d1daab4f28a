"""Where alert transitions go: the contract every channel implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from schemas import OpsAlert

__all__ = ["AlertChannel"]


class AlertChannel(ABC):
    """Delivers alert transitions somewhere operators look."""

    @abstractmethod
    def send(self, alert: OpsAlert) -> None:
        """Deliver one alert.

        Raises:
            AlertPublishError: it could not be delivered.
        """

    def close(self) -> None:  # noqa: B027 - optional hook, most channels hold nothing
        """Release what the channel holds."""

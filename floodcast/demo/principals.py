"""The Kafka principal each of the demo's clients connects as."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.settings import Settings

__all__ = ["DemoPrincipals", "principal_name"]


@dataclass(frozen=True)
class DemoPrincipals:
    """The settings each of the demo's Kafka clients connects with."""

    admin: Settings
    """Sets up (on the secured local broker) and deletes the run's topics."""
    worker: Settings
    """The stream worker."""
    emulator: Settings
    """The gauge emulator's readings (the gauges' principal)."""
    observer: Settings
    """The gauge emulator's flood observations (a principal of their own)."""
    screen: Settings
    """The on-screen reader of predictions and flood observations."""

    @classmethod
    def configured(cls, settings: Settings) -> DemoPrincipals:
        """Every client connects with the configured client security, as it is."""
        return cls(
            admin=settings, worker=settings, emulator=settings, observer=settings, screen=settings
        )

    def lines(self) -> list[str]:
        """One line per component naming its principal, for the screen."""
        return [
            f"stream worker as {principal_name(self.worker)}",
            f"gauge emulator as {principal_name(self.emulator)}",
            f"flood observations as {principal_name(self.observer)}",
            f"screen as {principal_name(self.screen)}",
            f"clean-up as {principal_name(self.admin)}",
        ]


def principal_name(settings: Settings) -> str:
    """The principal the broker sees: the SCRAM user, or ``ANONYMOUS`` over PLAINTEXT."""
    if settings.kafka_security_protocol == "SASL_SSL" and settings.kafka_sasl_username:
        return f"{settings.kafka_sasl_username} (SASL_SSL)"
    return "ANONYMOUS (PLAINTEXT)"

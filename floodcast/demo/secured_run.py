"""A demo run on the secured local broker: its users, topics and ACLs, set up as ``admin``."""

from __future__ import annotations

from confluent_kafka.admin import AclBinding, AdminClient, NewTopic
from pydantic import SecretStr

from floodcast.commands.broker import floodcast_acls
from floodcast.demo.principals import DemoPrincipals
from floodcast.exceptions import DemoError
from floodcast.kafka_local import (
    BrokerSecurity,
    KafkaLocalError,
    create_acls,
    delete_acls,
    ensure_scram_users,
)
from schemas.settings import Settings
from stream_app.exceptions import TopicCreationError
from stream_app.kafka import create_topics

__all__ = ["SCREEN_USER", "SecuredRun"]

SCREEN_USER = "monitor"
"""The screen reads predictions and flood observations, which ``monitor`` may read."""


class SecuredRun:
    """One demo run's principals, topics and ACLs on the secured local broker.

    Every client gets its own SCRAM user: the worker ``worker``, the emulator ``emulator``,
    the screen ``monitor``; only ``admin`` creates and deletes. The run's topics are created
    up front because neither the emulator nor the worker may create them.

    Args:
        settings: the run's settings (its own topics and app id).
        security: the local broker's credentials and CA.
    """

    def __init__(self, settings: Settings, security: BrokerSecurity) -> None:
        self.settings = settings
        self.security = security
        self.principals = DemoPrincipals(
            admin=self._settings_as(security.admin),
            worker=self._settings_as("worker"),
            emulator=self._settings_as("emulator"),
            observer=self._settings_as("observer"),
            screen=self._settings_as(SCREEN_USER),
        )

    def provision(self, timeout: float = 30.0) -> list[str]:
        """As ``admin``: create missing SCRAM users, the run's topics and its ACLs.

        Args:
            timeout: seconds to wait for the broker at each step.

        Returns:
            The SCRAM users created (users the broker's storage was formatted without).

        Raises:
            DemoError: the broker refused or did not answer.
        """
        admin = self._admin()
        try:
            created = ensure_scram_users(admin, self.security.passwords, timeout)
            create_run_topics(admin, self.settings, timeout)
            create_acls(admin, self._bindings(), timeout)
        except KafkaLocalError as exc:
            raise DemoError(f"could not set up the run on the secured broker: {exc}") from exc
        return created

    def revoke(self, timeout: float = 30.0) -> None:
        """Delete the run's own ACLs; bindings shared with other runs (the API's) stay.

        Raises:
            DemoError: the broker refused or did not answer.
        """
        try:
            delete_acls(self._admin(), self._bindings(), timeout)
        except KafkaLocalError as exc:
            raise DemoError(f"could not delete the run's ACLs: {exc}") from exc

    def _bindings(self) -> list[AclBinding]:
        """The ACLs naming the run's topics, app id or groups."""
        topics, app_id = run_topics(self.settings), self.settings.app_id
        return [
            binding
            for binding in floodcast_acls(self.settings)
            if binding.name in topics or binding.name.startswith(app_id)
        ]

    def _admin(self) -> AdminClient:
        return AdminClient(
            {
                "bootstrap.servers": self.settings.bootstrap_servers,
                **self.security.client_config(self.security.admin),
            }
        )

    def _settings_as(self, user: str) -> Settings:
        return self.settings.model_copy(
            update={
                "kafka_security_protocol": "SASL_SSL",
                "kafka_sasl_username": user,
                "kafka_sasl_password": SecretStr(self.security.passwords[user]),
                "kafka_ca_file": self.security.tls.ca_file,
            }
        )


def run_topics(settings: Settings) -> tuple[str, ...]:
    """The topics a demo run reads and writes."""
    return (
        settings.topic_readings,
        settings.topic_river_levels,
        settings.topic_rain_forecasts,
        settings.topic_predictions,
        settings.topic_dead_letters,
        settings.topic_alerts,
        settings.topic_observations,
    )


def create_run_topics(admin: AdminClient, settings: Settings, timeout: float = 30.0) -> None:
    """Create the run's topics (those that exist already are kept), before any client uses them.

    The worker must find its readings topic when it joins its group: a topic created later
    is noticed only at the consumer's next metadata refresh, minutes away.

    Raises:
        DemoError: a topic could not be created.
    """
    partitions, replicas = settings.readings_partitions, settings.replication_factor
    new = [NewTopic(topic, partitions, replicas) for topic in run_topics(settings)]
    try:
        create_topics(admin, new, timeout)
    except TopicCreationError as exc:
        raise DemoError(str(exc)) from exc

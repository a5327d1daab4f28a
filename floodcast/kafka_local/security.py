"""SASL_SSL with SCRAM-SHA-512 users, TLS and the StandardAuthorizer for the local broker."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from floodcast.kafka_local.dev_tls import DevTls, write_private_file
from floodcast.kafka_local.exceptions import SecurityConfigError

__all__ = ["DEFAULT_USERS", "SCRAM_MECHANISM", "BrokerSecurity"]

SCRAM_MECHANISM = "SCRAM-SHA-512"
DEFAULT_USERS = ("admin", "worker", "emulator", "observer", "monitor", "api")
_USERS_FILE = "scram-users.json"
_JAAS_SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule"
_JAAS_PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule"


@dataclass(frozen=True)
class BrokerSecurity:
    """The secured broker's credentials and TLS files, all under ``secrets_dir``.

    The client listener speaks SASL_SSL with SCRAM-SHA-512 (users created when the storage is
    formatted, or later by ``ensure_scram_users``); the broker also uses it to reach itself, as
    ``admin``. The loopback controller listener speaks SASL_PLAINTEXT with PLAIN: SCRAM
    credentials live in the metadata log, which the controller cannot read before its own
    listener authenticates. ``admin`` is the only super user and nothing is allowed without an
    ACL.
    """

    secrets_dir: Path
    passwords: Mapping[str, str]
    admin: str = "admin"
    tls: DevTls = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "secrets_dir", Path(self.secrets_dir).resolve())
        object.__setattr__(self, "passwords", MappingProxyType(dict(self.passwords)))
        object.__setattr__(self, "tls", DevTls(self.secrets_dir / "tls"))
        if self.admin not in self.passwords:
            raise SecurityConfigError(f"no password for the admin user {self.admin!r}")

    @classmethod
    def ensure(
        cls,
        secrets_dir: Path,
        hosts: Sequence[str] = ("127.0.0.1", "localhost"),
        users: Sequence[str] = DEFAULT_USERS,
    ) -> BrokerSecurity:
        """Load the credentials kept in ``secrets_dir``, making passwords and TLS files missing.

        Args:
            secrets_dir: owner-only folder (mode 0700) for the passwords and PEM files.
            hosts: names and addresses the broker's certificate is valid for.
            users: SCRAM users; the first is the super user.

        Returns:
            The security settings.

        Raises:
            SecurityConfigError: the stored users file cannot be read.
        """
        directory = Path(secrets_dir)
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
        users_file = directory / _USERS_FILE
        try:
            stored = json.loads(users_file.read_text()) if users_file.is_file() else {}
        except (OSError, ValueError) as exc:
            raise SecurityConfigError(f"cannot read {users_file}") from exc
        if not isinstance(stored, dict):
            raise SecurityConfigError(f"{users_file} is not a JSON object")
        missing = [user for user in users if user not in stored]
        if missing:
            stored.update({user: secrets.token_urlsafe(24) for user in missing})
            write_private_file(users_file, json.dumps(stored, indent=2).encode())
        DevTls.ensure(directory / "tls", hosts)
        return cls(directory, stored, admin=users[0])

    @property
    def users_file(self) -> Path:
        """The JSON file of SCRAM user names and passwords."""
        return self.secrets_dir / _USERS_FILE

    def scram_format_arguments(self) -> list[str]:
        """``kafka-storage format`` arguments that create every SCRAM user."""
        arguments: list[str] = []
        for user, password in self.passwords.items():
            arguments += ["--add-scram", f"{SCRAM_MECHANISM}=[name={user},password={password}]"]
        return arguments

    def server_properties(self, host: str, port: int, controller_port: int) -> dict[str, str]:
        """``server.properties`` entries of the listeners, TLS, SASL and the authorizer.

        Args:
            host: the address of the SASL_SSL listener.
            port: its port.
            controller_port: the loopback controller listener's port.

        Returns:
            Entries replacing the plaintext listener settings.
        """
        admin_password = self.passwords[self.admin]
        return {
            "listeners": f"SASL_SSL://{host}:{port},CONTROLLER://127.0.0.1:{controller_port}",
            "advertised.listeners": f"SASL_SSL://{host}:{port}",
            "listener.security.protocol.map": "SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT",
            "inter.broker.listener.name": "SASL_SSL",
            "sasl.mechanism.inter.broker.protocol": SCRAM_MECHANISM,
            "listener.name.sasl_ssl.sasl.enabled.mechanisms": SCRAM_MECHANISM,
            f"listener.name.sasl_ssl.{SCRAM_MECHANISM.lower()}.sasl.jaas.config": (
                f'{_JAAS_SCRAM} required username="{self.admin}" password="{admin_password}";'
            ),
            "sasl.mechanism.controller.protocol": "PLAIN",
            "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
            "listener.name.controller.plain.sasl.jaas.config": (
                f'{_JAAS_PLAIN} required username="{self.admin}" password="{admin_password}" '
                f'user_{self.admin}="{admin_password}";'
            ),
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": str(self.tls.keystore_file),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(self.tls.ca_file),
            "ssl.endpoint.identification.algorithm": "https",
            "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users": f"User:{self.admin}",
            "allow.everyone.if.no.acl.found": "false",
        }

    def java_client_properties(self, user: str) -> dict[str, str]:
        """Java client settings (for Kafka's own tools) that connect as ``user``.

        Args:
            user: a SCRAM user name.

        Returns:
            Client properties without ``bootstrap.servers``.

        Raises:
            SecurityConfigError: ``user`` is unknown.
        """
        password = self._password(user)
        return {
            "security.protocol": "SASL_SSL",
            "sasl.mechanism": SCRAM_MECHANISM,
            "sasl.jaas.config": (
                f"{_JAAS_SCRAM} required username={_jaas_quoted(user)} "
                f"password={_jaas_quoted(password)};"
            ),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(self.tls.ca_file),
            "ssl.endpoint.identification.algorithm": "https",
        }

    def write_client_properties(self, user: str) -> Path:
        """Write ``user``'s :meth:`java_client_properties` to an owner-only file.

        The file is ``<secrets_dir>/<user>-client.properties``, for a tool's
        ``--command-config``; it is rewritten only when its content changed.

        Args:
            user: a SCRAM user name.

        Returns:
            The file's path.

        Raises:
            SecurityConfigError: ``user`` is unknown.
        """
        path = self.secrets_dir / f"{user}-client.properties"
        lines = [f"# {user} on the local SASL_SSL broker; generated by kafka_local."]
        lines += [
            f"{key}={_properties_escaped(value)}"
            for key, value in self.java_client_properties(user).items()
        ]
        text = ("\n".join(lines) + "\n").encode()
        if not (path.is_file() and path.read_bytes() == text):
            write_private_file(path, text)
        return path

    def client_config(self, user: str, password: str | None = None) -> dict[str, str]:
        """librdkafka (confluent-kafka) settings that connect as ``user``.

        Args:
            user: a SCRAM user name.
            password: overrides the stored password (e.g. to test a wrong one).

        Returns:
            Client settings without ``bootstrap.servers``.

        Raises:
            SecurityConfigError: ``user`` is unknown and no password was given.
        """
        if password is None:
            password = self._password(user)
        return {
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": SCRAM_MECHANISM,
            "sasl.username": user,
            "sasl.password": password,
            "ssl.ca.location": str(self.tls.ca_file),
            "ssl.endpoint.identification.algorithm": "https",
        }

    def _password(self, user: str) -> str:
        try:
            return self.passwords[user]
        except KeyError as exc:
            raise SecurityConfigError(f"unknown SCRAM user {user!r}") from exc


def _jaas_quoted(value: str) -> str:
    """``value`` as a JAAS option value: double-quoted, backslash escapes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _properties_escaped(value: str) -> str:
    """``value`` as written in a Java ``.properties`` file (backslash is its escape)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n")

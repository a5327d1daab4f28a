"""Errors raised while resolving Kafka's jars and running the local broker or its tools."""

from __future__ import annotations

__all__ = [
    "AclError",
    "BrokerError",
    "BrokerStartError",
    "BrokerStopError",
    "JarResolutionError",
    "JavaNotFoundError",
    "KafkaLocalError",
    "MainClassNotFoundError",
    "ScramUserError",
    "SecurityConfigError",
    "StorageFormatError",
    "ToolError",
    "UnknownToolError",
]


from floodcast.exceptions import FloodcastError


class KafkaLocalError(FloodcastError):
    """Root of the local Kafka broker's errors."""


class JavaNotFoundError(KafkaLocalError):
    """No ``java`` executable was found (neither ``$JAVA_HOME/bin/java`` nor on ``PATH``)."""


class JarResolutionError(KafkaLocalError):
    """Maven could not resolve Kafka's jars (unknown version, no network, no ``mvn``)."""


class MainClassNotFoundError(KafkaLocalError):
    """None of the candidate main classes exists in the resolved jars."""


class BrokerError(KafkaLocalError):
    """The local broker failed to format, start or stop."""

    def __init__(self, message: str, log_tail: str = "") -> None:
        super().__init__(
            f"{message}\n--- broker log (tail) ---\n{log_tail}" if log_tail else message
        )
        self.log_tail = log_tail


class StorageFormatError(BrokerError):
    """``kafka-storage format`` failed for the broker's log directory."""


class BrokerStartError(BrokerError):
    """The broker process exited or did not answer requests in time."""


class BrokerStopError(BrokerError):
    """The broker process survived SIGTERM and SIGKILL."""


class AclError(KafkaLocalError):
    """The broker refused to create an ACL, or did not answer."""


class ScramUserError(KafkaLocalError):
    """The broker refused to describe or create a SCRAM user, or did not answer."""


class SecurityConfigError(KafkaLocalError, ValueError):
    """The broker's security settings or stored credentials are unusable."""


class UnknownToolError(KafkaLocalError, ValueError):
    """The requested Kafka command line tool is not one this package knows."""


class ToolError(KafkaLocalError):
    """A Kafka command line tool exited with a non-zero status."""

    def __init__(self, message: str, returncode: int, stdout: str, stderr: str) -> None:
        super().__init__(f"{message} (exit {returncode})\n{stderr.strip()}")
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

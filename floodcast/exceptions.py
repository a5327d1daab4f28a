"""Errors of the Floodcast application shell (CLI and demo)."""


class FloodcastError(Exception):
    """Root of the application shell's errors."""


class DemoError(FloodcastError):
    """The demo could not run to its end (a component stopped or never came up)."""


class TopicCreationError(FloodcastError):
    """A Kafka topic could not be created."""

"""The root of every error the ``floodcast`` package raises, and the demo's own.

Each subpackage (``api``, ``catchment``, ``emulator``, ``kafka_local``, ``monitoring``,
``training``) has an ``exceptions`` module whose root subclasses ``FloodcastError``.
"""


class FloodcastError(Exception):
    """Root of the floodcast package's errors."""


class DemoError(FloodcastError):
    """The demo could not run to its end (a component stopped or never came up)."""


class WorkerProcessError(FloodcastError):
    """A worker subprocess did not start, or did not stop, as asked."""

"""Floodcast: streaming flood-path prediction from rain gauges."""

__version__ = "0.1.0"

"""Unit tests of the catchment simulator."""

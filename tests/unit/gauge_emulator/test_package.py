"""The package's public surface: complete ``__all__`` and documented exceptions."""

from __future__ import annotations

import inspect

import floodcast.emulator as gauge_emulator
from floodcast.emulator import EmulatorError
from floodcast.emulator import exceptions as exceptions_module


def test_all_names_resolve_and_are_unique() -> None:
    """Every name in ``__all__`` exists, and none is listed twice."""
    assert len(gauge_emulator.__all__) == len(set(gauge_emulator.__all__))
    for name in gauge_emulator.__all__:
        assert hasattr(gauge_emulator, name), name


def test_every_exception_is_exported_and_documented() -> None:
    """Each exception class is re-exported and has a one-line docstring."""
    classes = [
        obj
        for obj in vars(exceptions_module).values()
        if inspect.isclass(obj) and issubclass(obj, EmulatorError)
    ]
    assert {cls.__name__ for cls in classes} <= set(gauge_emulator.__all__)
    for cls in classes:
        assert cls.__doc__ and "\n" not in cls.__doc__.strip(), cls.__name__

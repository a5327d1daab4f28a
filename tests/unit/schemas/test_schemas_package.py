"""The package's public surface: complete ``__all__`` and one exception per dead-letter reason."""

from __future__ import annotations

import inspect

import schemas
from schemas import DeadLetterReason, RejectedReadingError, SchemaError
from schemas import exceptions as exceptions_module


def test_all_names_resolve_and_are_unique() -> None:
    """Every name in ``__all__`` exists, and none is listed twice."""
    assert len(schemas.__all__) == len(set(schemas.__all__))
    for name in schemas.__all__:
        assert hasattr(schemas, name), name


def test_all_exports_every_exception() -> None:
    """Each exception class of the package is re-exported."""
    classes = {
        name
        for name, obj in vars(exceptions_module).items()
        if inspect.isclass(obj) and issubclass(obj, SchemaError)
    }
    assert classes <= set(schemas.__all__)


def test_each_reason_has_exactly_one_leaf_exception() -> None:
    """Every dead-letter reason is raised by one documented exception class."""
    leaves = [
        cls
        for cls in vars(exceptions_module).values()
        if inspect.isclass(cls) and issubclass(cls, RejectedReadingError) and "reason" in vars(cls)
    ]
    assert sorted(cls.reason for cls in leaves) == sorted(DeadLetterReason)
    for cls in leaves:
        assert cls.__doc__ and "\n" not in cls.__doc__.strip(), cls.__name__

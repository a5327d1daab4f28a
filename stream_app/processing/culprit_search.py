"""Find the record that makes a batch fail, by bisecting the batch's prefixes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = ["first_failing"]

_R = TypeVar("_R")


def first_failing(
    records: Sequence[_R], attempt: Callable[[Sequence[_R]], object]
) -> tuple[int, Exception] | None:
    """The record whose addition makes ``attempt`` fail, found in ``log2(len(records))`` tries.

    ``attempt`` must be free of side effects: it is run on several prefixes of ``records``.
    Whatever the cause, the answer is exact: ``attempt(records[:i])`` succeeds and
    ``attempt(records[:i + 1])`` raises the exception returned.

    Args:
        records: a batch on which ``attempt`` raised.
        attempt: processes a prefix of the batch; raises when it fails.

    Returns:
        ``(i, exception)``, or ``None`` when ``attempt`` fails on no record at all (the empty
        prefix) or no longer fails on the whole batch.

    Examples:
        >>> def attempt(batch):
        ...     if sum(batch) > 10:
        ...         raise ValueError(f"sum {sum(batch)}")
        >>> first_failing([3, 4, 5, 1], attempt)
        (2, ValueError('sum 12'))
    """
    try:
        attempt(records[:0])
    except Exception:  # the batch fails without any record: none to blame
        return None
    passes, fails = 0, len(records)
    failure = _failure(attempt, records)
    if failure is None:
        return None
    while fails - passes > 1:
        middle = (passes + fails) // 2
        error = _failure(attempt, records[:middle])
        if error is None:
            passes = middle
        else:
            fails, failure = middle, error
    return fails - 1, failure


def _failure(attempt: Callable[[Sequence[_R]], object], prefix: Sequence[_R]) -> Exception | None:
    try:
        attempt(prefix)
    except Exception as exc:  # any failure is what is searched for
        return exc
    return None

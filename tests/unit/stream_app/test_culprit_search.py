"""The bisection that finds the record making a batch fail."""

from __future__ import annotations

import doctest
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from stream_app.processing import culprit_search
from stream_app.processing.culprit_search import first_failing


def test_doctests() -> None:
    """The module's examples run."""
    assert doctest.testmod(culprit_search).failed == 0


@settings(max_examples=300, deadline=None, database=None)
@given(records=st.lists(st.integers(0, 20), max_size=60), limit=st.integers(0, 400))
def test_finds_the_first_prefix_that_fails(records: list[int], limit: int) -> None:
    """The answer is the record whose addition first breaks the batch, with its exception."""
    tries: list[int] = []

    def attempt(prefix: Sequence[int]) -> None:
        tries.append(len(prefix))
        if sum(prefix) > limit:
            raise ValueError(len(prefix))

    found = first_failing(records, attempt)
    sums = [sum(records[: i + 1]) for i in range(len(records))]
    first = next((i for i, total in enumerate(sums) if total > limit), None)
    if first is None:
        assert found is None
    else:
        assert found is not None
        index, error = found
        assert index == first
        assert isinstance(error, ValueError) and error.args == (first + 1,)
        assert len(tries) <= 2 + max(len(records), 1).bit_length()


def test_a_batch_failing_without_records_blames_none() -> None:
    """When even the empty batch fails, no record is to blame."""

    def attempt(prefix: Sequence[int]) -> None:
        raise RuntimeError("stored counts do not decode")

    assert first_failing([1, 2, 3], attempt) is None

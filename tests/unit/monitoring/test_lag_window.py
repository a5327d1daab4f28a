"""Burrow-style status of a consumer group over a window of lag readings."""

from __future__ import annotations

import pytest

from floodcast.monitoring import GroupLag, GroupStatus, LagWindow, PartitionLag
from floodcast.monitoring.exceptions import AlertRuleError


def reading(at: float, committed: int, end: int, members: int = 1) -> GroupLag:
    row = PartitionLag("t", 0, committed, end, end - committed, 0.0)
    return GroupLag("g", (row,), members, "STABLE" if members else "EMPTY", at)


@pytest.mark.parametrize(
    ("points", "members", "expected"),
    [
        ([(10, 20), (15, 25), (20, 20)], 1, GroupStatus.OK),  # caught up once
        ([(10, 20), (12, 24), (14, 28)], 1, GroupStatus.WARN),  # committing, lag growing
        ([(10, 20), (10, 24), (10, 28)], 1, GroupStatus.STALL),  # members, offset frozen
        ([(10, 20), (10, 24), (10, 28)], 0, GroupStatus.STOP),  # nobody consumes
        ([(10, 20), (18, 24), (25, 28)], 1, GroupStatus.OK),  # lag shrinking
    ],
)
def test_status_rules(points: list[tuple[int, int]], members: int, expected: GroupStatus) -> None:
    """Each of Burrow's rules gives its status once the window is full."""
    window = LagWindow(size=3)
    for at, (committed, end) in enumerate(points):
        window.add(reading(float(at), committed, end, members))
    assert window.status is expected


def test_window_not_full_is_ok() -> None:
    """Two readings of a stopped group say nothing yet: OK until the window fills."""
    window = LagWindow(size=3)
    window.add(reading(0, 10, 20, members=0))
    window.add(reading(1, 10, 30, members=0))
    assert window.status is GroupStatus.OK
    window.add(reading(2, 10, 40, members=0))
    assert window.status is GroupStatus.STOP


def test_window_needs_two_readings() -> None:
    """A window of one reading cannot show a trend and is refused."""
    with pytest.raises(AlertRuleError):
        LagWindow(size=1)

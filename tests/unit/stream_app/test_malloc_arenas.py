"""The worker caps glibc's malloc arenas from inside its process (issue 14: resident memory)."""

from __future__ import annotations

import platform

import pytest

from stream_app.malloc_arenas import WORKER_ARENAS, limit_malloc_arenas


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_arena_cap() -> None:
    """mallopt(M_ARENA_MAX) is found and accepted where the C library is glibc."""
    assert limit_malloc_arenas(WORKER_ARENAS) is True

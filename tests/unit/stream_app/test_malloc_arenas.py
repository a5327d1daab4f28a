"""The worker caps glibc's malloc arenas from inside its process (issue 14: resident memory)."""

from __future__ import annotations

import platform

import pytest

from stream_app.malloc_arenas import WORKER_ARENAS, limit_malloc_arenas, release_free_heap


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_arena_cap() -> None:
    """mallopt(M_ARENA_MAX) is found and accepted where the C library is glibc."""
    assert limit_malloc_arenas(WORKER_ARENAS) is True


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_glibc_hands_free_heap_pages_back() -> None:
    """Freed small blocks leave the resident set once the heap is trimmed."""

    def resident_kb() -> int:
        with open("/proc/self/status") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
        return int(line.split()[1])

    blocks = [bytearray(1_000) for _ in range(100_000)]  # ~100 MB of small heap blocks
    top = bytearray(1_000)  # kept: the heap's top stays in use, so free() cannot shrink it
    held = resident_kb()
    del blocks
    assert release_free_heap() is True
    assert resident_kb() < held - 50_000
    assert len(top) == 1_000

"""Cap glibc's malloc arenas for the worker's process, and hand free heap pages back.

glibc gives each thread that allocates its own arena (up to 8 per core), and memory freed in
one arena is not reused by another: the batch processor's thread beside the event loop grew
the worker's resident memory by some 45 MB (issue 14). ``MALLOC_ARENA_MAX`` does the same
when set before the process starts; this does it from inside, before the worker's threads.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

__all__ = ["WORKER_ARENAS", "limit_malloc_arenas", "release_free_heap"]

WORKER_ARENAS = 2
"""The event loop's and the batch processor's thread each keep one."""
_M_ARENA_MAX = -8  # malloc.h


def limit_malloc_arenas(arenas: int = WORKER_ARENAS) -> bool:
    """Cap the arenas threads created from now on may use.

    Returns:
        Whether the C library took the setting (False where it is not glibc).
    """
    mallopt = _libc_function("mallopt")
    return mallopt is not None and bool(mallopt(_M_ARENA_MAX, arenas))


def release_free_heap() -> bool:
    """Hand the pages malloc holds free back to the system (glibc's ``malloc_trim``).

    Loading a model frees tens of MB of parse buffers in one go, which the heap would
    otherwise keep resident for the life of the process.

    Returns:
        Whether the C library has the call (False where it is not glibc).
    """
    trim = _libc_function("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True


def _libc_function(symbol: str) -> Any:
    """A glibc function by name, or None where the C library lacks it."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return getattr(ctypes.CDLL(name), symbol)
    except (OSError, AttributeError):  # not glibc (musl has neither mallopt nor malloc_trim)
        return None

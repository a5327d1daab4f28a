"""Cap glibc's malloc arenas for the worker's process.

glibc gives each thread that allocates its own arena (up to 8 per core), and memory freed in
one arena is not reused by another: the batch processor's thread beside the event loop grew
the worker's resident memory by some 45 MB (issue 14). ``MALLOC_ARENA_MAX`` does the same
when set before the process starts; this does it from inside, before the worker's threads.
"""

from __future__ import annotations

import ctypes
import ctypes.util

__all__ = ["WORKER_ARENAS", "limit_malloc_arenas"]

WORKER_ARENAS = 2
"""The event loop's and the batch processor's thread each keep one."""
_M_ARENA_MAX = -8  # malloc.h


def limit_malloc_arenas(arenas: int = WORKER_ARENAS) -> bool:
    """Cap the arenas threads created from now on may use.

    Returns:
        Whether the C library took the setting (False where it is not glibc).
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))

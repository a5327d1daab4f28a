"""Keep numpy's BLAS to the calling thread in processes that serve a stream.

OpenBLAS starts one thread per core and, after each call, leaves them spinning for a while
in case another call follows. The worker's matrix products are small (gauges × reaches), so
those threads add nothing but burn the cores that the event loop, a second worker process
and the broker need. ``OPENBLAS_NUM_THREADS=1`` does the same when set before numpy loads;
this does it from inside, whatever the environment and whichever BLAS numpy was built with.
"""

from __future__ import annotations

import numpy  # noqa: F401  # loads numpy's BLAS, which the limit applies to
from threadpoolctl import ThreadpoolController

__all__ = ["single_threaded_blas"]


def single_threaded_blas() -> int:
    """Limit every BLAS library loaded in this process to one thread, for its lifetime.

    Returns:
        How many BLAS libraries took the limit (0 where numpy's BLAS has no thread pool).
    """
    blas = ThreadpoolController().select(user_api="blas")
    blas.limit(limits=1)
    return len(blas.lib_controllers)

"""The lag reader while the group coordinator is not ready, as on a freshly started broker."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.unit.monitoring.fake_coordinator import NOT_COORDINATOR, FakeCoordinator

COORDINATOR_NOT_AVAILABLE = 15

# Run in a child process: the failure this guards against is a SIGSEGV of the whole process.
_READ_LAG = """
import sys
from floodcast.monitoring.exceptions import LagReadError
from floodcast.monitoring.lag.lag_reader import LagReader

reader = LagReader(sys.argv[1], timeout=3.0)
try:
    reader.read(sys.argv[2], [sys.argv[3]])
except LagReadError as exc:
    print(f"lag read failed: {exc}")
else:
    print("lag read")
finally:
    reader.close()
"""


@pytest.mark.parametrize("error", [NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE])
def test_refused_offset_fetch_fails_the_read_and_the_process_lives(error: int) -> None:
    """A coordinator refusing the committed-offsets fetch makes the read raise LagReadError,
    where librdkafka's admin offsets call used to kill the process with SIGSEGV."""
    with FakeCoordinator("readings", partitions=2, offset_fetch_error=error) as broker:
        done = subprocess.run(
            [sys.executable, "-c", _READ_LAG, broker.bootstrap, "worker-group", "readings"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr[-3000:]}"
    assert done.stdout.startswith("lag read failed"), done.stdout
    assert "worker-group" in broker.offset_fetch_groups
    assert broker.unknown_requests == []

"""``python -m stream_app``: run the worker with settings from the environment."""

import faulthandler

from schemas.settings import Settings
from stream_app.worker import run_worker

if __name__ == "__main__":
    faulthandler.enable()  # Python stacks on a native crash, as ``floodcast.cli.main`` does
    run_worker(Settings())

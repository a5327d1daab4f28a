"""``python -m stream_app``: run the worker with settings from the environment."""

from floodcast.settings import Settings
from stream_app.worker import run_worker

if __name__ == "__main__":
    run_worker(Settings())

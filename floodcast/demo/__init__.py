"""The local demo: broker, worker and simulated gauges, with predictions live on screen."""

from floodcast.demo.prediction_board import PredictionBoard
from floodcast.demo.session import DemoOptions, run_demo

__all__ = ["DemoOptions", "PredictionBoard", "run_demo"]

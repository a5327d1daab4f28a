"""Accuracy of past predictions: verified against observed floods, scored as CSI and Brier."""

from floodcast.monitoring.accuracy.accuracy_feed import AccuracyFeed
from floodcast.monitoring.accuracy.accuracy_tracker import AccuracyScores, AccuracyTracker
from floodcast.monitoring.accuracy.forecast_window import ForecastWindow, VerifiedForecast
from floodcast.monitoring.accuracy.observed_floods import ObservedFloods
from floodcast.monitoring.accuracy.package_reaches import package_reaches

__all__ = [
    "AccuracyFeed",
    "AccuracyScores",
    "AccuracyTracker",
    "ForecastWindow",
    "ObservedFloods",
    "VerifiedForecast",
    "package_reaches",
]

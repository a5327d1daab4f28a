"""Accuracy of past predictions: verified against observed floods, scored as CSI and Brier."""

from monitoring.accuracy.accuracy_feed import AccuracyFeed
from monitoring.accuracy.accuracy_scores import AccuracyScores
from monitoring.accuracy.accuracy_tracker import AccuracyTracker
from monitoring.accuracy.forecast_window import ForecastWindow, VerifiedForecast
from monitoring.accuracy.observed_floods import ObservedFloods
from monitoring.accuracy.package_reaches import package_reaches

__all__ = [
    "AccuracyFeed",
    "AccuracyScores",
    "AccuracyTracker",
    "ForecastWindow",
    "ObservedFloods",
    "VerifiedForecast",
    "package_reaches",
]

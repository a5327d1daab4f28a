"""Accuracy of past predictions: verified against observed floods, scored as CSI and Brier."""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "accuracy_feed": ["AccuracyFeed"],
        "accuracy_tracker": ["AccuracyScores", "AccuracyTracker"],
        "forecast_window": ["ForecastWindow", "VerifiedForecast"],
        "observed_floods": ["ObservedFloods"],
        "package_reaches": ["package_basins", "package_gauges", "package_reaches"],
    },
)

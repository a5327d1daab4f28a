"""Predictions on request, through the stream's own processing."""

from api.prediction.window_predictor import WindowPredictor

__all__ = ["WindowPredictor"]

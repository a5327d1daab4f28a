"""The latest prediction per basin, materialised from the predictions topic."""

from api.latest.latest_predictions import LatestPredictions
from api.latest.predictions_follower import GROUP_PREFIX, OnPrediction, PredictionsFollower

__all__ = ["GROUP_PREFIX", "LatestPredictions", "OnPrediction", "PredictionsFollower"]

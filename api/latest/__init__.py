"""The latest prediction per basin, materialised from the predictions topic."""

from api.latest.latest_predictions import LatestPredictions
from api.latest.predictions_follower import OnPrediction, PredictionsFollower

__all__ = ["LatestPredictions", "OnPrediction", "PredictionsFollower"]

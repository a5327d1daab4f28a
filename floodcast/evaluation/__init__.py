"""Skill of the running stream: fresh storms through broker and worker, verified as in training.

Typical use::

    from floodcast.evaluation import EvaluationOptions, evaluate_stream

    result = evaluate_stream(settings, Path("models/default"), EvaluationOptions(days=30), console)
    print(result.scores["stream"]["csi"].value, result.scores["offline"]["csi"].value)
"""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "evaluation_report": ["evaluation_json", "evaluation_table", "write_json"],
        "exceptions": [
            "EvaluationConfigError",
            "EvaluationError",
            "IncompletePlaybackError",
            "MissingObservationsError",
            "PackageMismatchError",
            "TrainingSeedError",
        ],
        "forecast_grid": ["ForecastGrid"],
        "held_paths": ["HeldPaths", "PathMatching", "hold_paths"],
        "observed_truth": ["observed_flooding"],
        "run_steps": ["RunSteps"],
        "offline_forecast": ["OfflineForecaster", "as_published"],
        "storm_verification": ["BasinRun", "Climatology", "StormVerification", "skill_scores"],
        "stream_evaluation": [
            "DEFAULT_SEED",
            "BasinOutcome",
            "EvaluationOptions",
            "Inputs",
            "StreamEvaluation",
            "evaluate_stream",
        ],
        "stream_playback": ["Playback", "SideAccount", "play_through_stream"],
        "worker_progress": ["WorkerProgress"],
    },
)

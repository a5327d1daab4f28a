"""Held-out skill: textbook scores from per-event sums, and an event bootstrap around them."""

from __future__ import annotations

import numpy as np
import pytest

from converters.skill import (
    VerificationSet,
    bootstrap_scores,
    event_sums,
    point_scores,
    pooled_intervals,
)


def _data(floods: np.ndarray, flooded_now: np.ndarray, event: np.ndarray) -> VerificationSet:
    n = len(floods)
    return VerificationSet(
        event=event,
        series=event.copy(),
        step=np.arange(n, dtype=np.int64),
        floods=floods,
        flooded_now=flooded_now,
        eta_hours=np.where(floods, 1.0, np.nan).astype(np.float32),
        climatology=0.25,
        climatology_eta_hours=2.0,
        horizon_steps=4,
        min_lead_steps=1,
        steps_per_hour=4,
    )


def test_point_scores_follow_their_definitions() -> None:
    """2 hits, 1 miss, 1 false alarm; one hit is an onset; Brier skill against climatology."""
    floods = np.array([1, 1, 1, 0, 0, 0, 0, 0], dtype=bool)
    flooded_now = np.array([1, 0, 0, 0, 0, 0, 0, 0], dtype=bool)
    probability = np.array([0.9, 0.8, 0.2, 0.7, 0.1, 0.0, 0.0, 0.0])
    eta = np.full(8, 1.5)
    data = _data(floods, flooded_now, np.array([0, 0, 0, 0, 1, 1, 1, 1]))
    scores = point_scores(event_sums(data, probability >= 0.5, probability, eta))
    assert scores["csi"] == pytest.approx(0.5)
    assert scores["pod"] == pytest.approx(2 / 3)
    assert scores["far"] == pytest.approx(1 / 3)
    brier = np.mean((probability - floods) ** 2)
    assert scores["brier"] == pytest.approx(brier)
    assert scores["brier_skill"] == pytest.approx(1 - brier / np.mean((0.25 - floods) ** 2))
    # onsets: rows 1..7; hit at 1, miss at 2, false alarm at 3
    assert scores["onset_csi"] == pytest.approx(1 / 3)
    assert scores["eta_mae_onset_hours"] == pytest.approx(0.5)
    assert scores["eta_mae_onset_climatology_hours"] == pytest.approx(1.0)


def test_bootstrap_resamples_whole_events() -> None:
    """Each replicate is a CSI of whole events: with one perfect and one useless event, the
    replicates take exactly the values event mixtures can give, and bracket the point score."""
    floods = np.array([1, 1, 0, 0, 1, 1, 0, 0], dtype=bool)
    warn = np.array([1, 1, 0, 0, 0, 0, 1, 1], dtype=bool)
    data = _data(floods, np.zeros(8, dtype=bool), np.repeat([0, 1], 4))
    sums = event_sums(data, warn, warn.astype(float))
    draws = bootstrap_scores(sums, 400, np.random.default_rng(1))["csi"]
    assert set(np.round(draws, 6)) == {0.0, round(1 / 3, 6), 1.0}
    point = point_scores(sums)["csi"]
    assert point == pytest.approx(1 / 3)
    interval = pooled_intervals(
        [point_scores(sums)], [bootstrap_scores(sums, 400, np.random.default_rng(2))]
    )
    assert interval["csi"].low == 0.0 and interval["csi"].high == 1.0
    assert interval["csi"].value == pytest.approx(1 / 3)

"""Evaluation figures stored in the model package: reliability diagram and a storm hydrograph."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray
from sklearn.base import ClassifierMixin
from sklearn.calibration import calibration_curve

from converters.features import BasinGeometry, batch_features
from floodcast.catchment import Simulation


def _png(figure: Figure) -> bytes:
    """Render without pyplot (no global state, no display backend)."""
    buffer = io.BytesIO()
    # no software/version metadata: the same figure gives the same bytes (and digest)
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def reliability_diagram(observed: NDArray[np.bool_], probability: NDArray[np.floating]) -> bytes:
    """Observed flood frequency against forecast probability, with the forecast histogram."""
    observed_freq, mean_prob = calibration_curve(
        observed, probability, n_bins=10, strategy="uniform"
    )
    figure = Figure(figsize=(5, 6), layout="tight")
    top, bottom = figure.subplots(2, 1, height_ratios=(3, 1), sharex=True)
    top.plot([0, 1], [0, 1], ls="--", c="grey", label="perfect reliability")
    top.plot(mean_prob, observed_freq, marker="o", label="model (held-out storms)")
    top.set_ylabel("observed flood frequency")
    top.set_title("Reliability: P(reach floods within 6 h)")
    top.legend(loc="upper left")
    bottom.hist(probability, bins=20, range=(0, 1), log=True, color="tab:blue")
    bottom.set_xlabel("forecast probability")
    bottom.set_ylabel("rows")
    return _png(figure)


def storm_hydrograph(
    simulation: Simulation, classifier: ClassifierMixin, event: int, threshold: float
) -> bytes:
    """Discharge / bankfull and forecast probability through one storm, at three reaches.

    The forecast is the one the stream makes today: from the gauges alone, every stage sensor
    and every rain forecast missing.
    """
    steps = np.flatnonzero(simulation.event_id == event)
    geometry = BasinGeometry.from_basin(simulation.basin)
    features = batch_features(geometry, simulation.gauge_rain_mm)[steps]
    n_reaches = geometry.n_reaches
    flooded_reaches = np.flatnonzero(simulation.flooded[steps].any(axis=0))
    headwater = int(flooded_reaches[0]) if len(flooded_reaches) else 0
    reaches = sorted({headwater, (headwater + n_reaches - 1) // 2, n_reaches - 1})
    hours = (steps - steps[0]) * simulation.step_minutes / 60.0
    figure = Figure(figsize=(8, 2.2 * (len(reaches) + 1)), layout="tight")
    axes = figure.subplots(len(reaches) + 1, 1, sharex=True)
    axes[0].bar(hours, simulation.gauge_rain_mm[steps].mean(axis=1), width=0.25, color="tab:blue")
    axes[0].set_ylabel("gauge mean\nrain (mm)")
    axes[0].set_title(
        f"Held-out storm on basin {simulation.basin.basin_id}"
        " (gauges only: no stage, no rain forecast)"
    )
    for ax, reach in zip(axes[1:], reaches, strict=True):
        ratio = simulation.discharge_m3s[steps, reach] / simulation.basin.bankfull_m3s[reach]
        ax.plot(hours, ratio, c="tab:blue", label="discharge / bankfull")
        ax.axhline(1.0, c="tab:red", ls="--", lw=1, label="bankfull")
        ax.set_ylabel(f"reach {geometry.reach_ids[reach]}")
        twin = ax.twinx()
        twin.plot(hours, classifier.predict_proba(features[:, reach])[:, 1], c="tab:orange")
        twin.axhline(threshold, c="tab:orange", ls=":", lw=1)
        twin.set_ylim(0, 1)
        twin.set_ylabel("P(flood ≤ 6 h)", color="tab:orange")
    axes[1].legend(loc="upper right", fontsize="small")
    axes[-1].set_xlabel("hours since storm start")
    return _png(figure)

"""The bench's speed figures in one table: each beside its floor (or goal) as a ratio."""

from __future__ import annotations

import statistics
from typing import Any

SPEED_FLOORS = {
    "single_readings_to_faust_floor": 0.9,
    "packs_32_readings_per_s_per_process": 30_000.0,
    "latency_p99_ms": 50.0,
    "scale_2_processes": 1.6,
    "worker_rss_mb": 300.0,
}
"""Goals the figures are held against (issue "Speed"): higher is better except latency, RSS."""


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(run[key]) for run in runs)


def speed_summary(
    pass_rate: float,
    faust_rate: float,
    worker: list[dict[str, Any]],
    packed: dict[int, list[dict[str, Any]]],
    scaled_one: list[dict[str, Any]],
    grouped: list[dict[str, Any]],
    processes: int,
    latency: dict[str, Any],
    latency_floor: dict[str, Any],
    floors: dict[str, float],
) -> dict[str, Any]:
    """Rows of ``(figure, value, floor, ratio)``; ratio = value / floor.

    Args:
        pass_rate: raw consume -> produce readings/s.
        faust_rate: the bare faust agent's messages/s (``bench._faust_floor``): every worker
            rate is also given as a ratio to it.
        worker: single-reading worker runs (one process).
        packed: worker runs by pack size.
        scaled_one: single-reading runs of one process on the scaling topic (many basins).
        grouped: the same, of ``processes`` processes.
        processes: processes of the grouped runs.
        latency: the latency runs' figures (median percentiles).
        latency_floor: the bare faust agent's latency at the same rate
            (``bench._faust_latency_floor``).
        floors: ``SPEED_FLOORS``.
    """
    single = _median(worker, "readings_per_s")
    floor = "bare faust agent"
    rows: list[dict[str, Any]] = [
        _row("pass-through (consume -> produce), readings/s", pass_rate, None),
        _row(
            "bare faust agent (take_events, no work), messages/s",
            faust_rate,
            pass_rate,
            "pass-through",
        ),
        _row("worker, single readings, readings/s", single, faust_rate, floor),
        _row(
            "worker, single readings, vs goal",
            single / faust_rate,
            floors["single_readings_to_faust_floor"],
            "goal (ratio to the bare faust agent)",
        ),
    ]
    for size, runs in packed.items():
        rate = _median(runs, "readings_per_s")
        rows.append(_row(f"worker, packs of {size}, readings/s", rate, faust_rate, floor))
        if size == 32:
            goal = floors["packs_32_readings_per_s_per_process"]
            rows.append(_row("worker, packs of 32, vs goal", rate, goal, "goal"))
        rows.append(
            _row(
                f"worker, packs of {size}, CPU us/reading",
                _median(runs, "worker_cpu_us_per_reading"),
                _median(worker, "worker_cpu_us_per_reading"),
                "single readings",
            )
        )
    group_rate = _median(grouped, "readings_per_s")
    one_rate = _median(scaled_one, "readings_per_s")
    rows.append(_row("worker, 1 process, many basins, readings/s", one_rate, faust_rate, floor))
    rows.append(
        _row(
            f"worker, {processes} processes, many basins, readings/s",
            group_rate,
            one_rate,
            "1 process",
        )
    )
    rows.append(
        _row(
            f"worker, {processes} processes vs 1, single readings",
            group_rate / one_rate,
            floors["scale_2_processes"],
            "goal",
        )
    )
    p99 = float(latency["to_consumer_p99_ms"])
    faust = "bare faust agent seeing each reading"
    for label in ("p50", "p99"):
        seen = latency_floor[f"to_agent_{label}_ms"]
        rows.append(_row(f"bare faust agent, reading seen, latency {label} ms", seen, None))
        rows.append(
            _row(
                f"latency {label} ms at the latency rate",
                latency[f"to_consumer_{label}_ms"],
                seen,
                faust,
            )
        )
    rows.append(_row("latency p99 ms vs goal", p99, floors["latency_p99_ms"], "goal"))
    rss = _median(worker, "worker_rss_mb")
    rows.append(_row("worker RSS MB (one process)", rss, floors["worker_rss_mb"], "goal"))
    rows.append(
        _row(
            f"worker RSS MB ({processes} processes and their parent)",
            _median(grouped, "worker_rss_mb"),
            None,
        )
    )
    return {"rows": rows, "floors": floors}


def _row(name: str, value: float, floor: float | None, floor_name: str = "") -> dict[str, Any]:
    return {
        "figure": name,
        "value": round(float(value), 1),
        "floor": None if floor is None else round(float(floor), 1),
        "floor_is": floor_name or None,
        "ratio": None if not floor else round(float(value) / float(floor), 2),
    }


def print_speed(speed: dict[str, Any]) -> None:
    """The rows, aligned."""
    print(f"{'figure':<58} {'value':>10} {'floor':>10} {'ratio':>7}  floor is")
    for row in speed["rows"]:
        floor = "" if row["floor"] is None else f"{row['floor']:,.1f}"
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
        print(
            f"{row['figure']:<58} {row['value']:>10,.1f} {floor:>10} {ratio:>7}  "
            f"{row['floor_is'] or ''}"
        )

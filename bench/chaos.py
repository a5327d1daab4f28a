"""Chaos run: storm readings through a real local broker while workers, broker and network fail.

Each fault kind runs as its own scenario (fresh topics and consumer group) on one local Apache
Kafka broker started for the run: worker SIGKILLs at random moments, graceful restarts, SIGKILL
of the broker's JVM and its restart, workers scaled 1 -> 3 -> 1 while readings flow, and cuts of
every connection between the workers and the broker (a TCP proxy the run controls). Afterwards
the worker group's counts, predictions and dead letters are compared with the same readings
processed offline in one go. Writes ``bench/results/chaos.json``.

    .venv/bin/python -m bench.chaos                   # 20 kills, 3 restarts, 2 broker kills, ...
    .venv/bin/python -m bench.chaos --kills 3 --only worker_sigkill
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench._chaos_broker import ChaosBroker
from bench._chaos_run import FAULT_KINDS, Scenario, ScenarioResult, run_scenario
from bench._report import RESULTS, write_results
from schemas.settings import Settings

__all__ = ["main", "print_table", "run"]


def run(scenarios: list[Scenario], base: Settings, workdir: Path) -> list[ScenarioResult]:
    """Run each scenario on one chaos broker (started and stopped here)."""
    broker = ChaosBroker(base, workdir / "broker")
    broker.start()
    try:
        return [run_scenario(broker, base, scenario, workdir) for scenario in scenarios]
    finally:
        broker.stop()


def recovery_stats(result: ScenarioResult) -> tuple[float | None, float | None, int]:
    """Median and max seconds to recover, and how many faults saw no recovery."""
    times = [f.recovery_seconds for f in result.faults if f.recovery_seconds is not None]
    missing = len(result.faults) - len(times)
    if not times:
        return None, None, missing
    return statistics.median(times), max(times), missing


def print_table(results: list[ScenarioResult]) -> None:
    header = (
        f"{'fault':<17}{'faults':>7}{'readings':>10}{'scored':>9}{'dead':>6}{'dedup':>6}"
        f"{'pend':>5}{'lost':>5}{'double':>7}{'miscount':>9}{'pred':>6}{'repeat':>7}"
        f"{'differ':>7}{'exits':>6}{'recover med/max s':>19}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        o = result.outcome
        median, worst, missing = recovery_stats(result)
        recover = "-" if median is None else f"{median:.1f} / {worst:.1f}"
        if missing:
            recover += f" ({missing} unseen)"
        print(
            f"{result.scenario.kind:<17}{len(result.faults):>7}{o.readings_in:>10}{o.scored:>9}"
            f"{o.dead_lettered:>6}{o.deduplicated:>6}{o.pending:>5}{o.lost:>5}"
            f"{o.double_counted:>7}{o.miscounted:>9}{o.predictions_published:>6}"
            f"{o.predictions_repeated:>7}{o.predictions_differing:>7}{result.unplanned_exits:>6}"
            f"{recover:>19}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20, help="Worker SIGKILLs.")
    parser.add_argument("--restarts", type=int, default=3, help="Graceful worker restarts.")
    parser.add_argument("--broker-kills", type=int, default=2, help="Broker JVM SIGKILLs.")
    parser.add_argument("--scale-cycles", type=int, default=2, help="1 -> 3 -> 1 cycles.")
    parser.add_argument("--cuts", type=int, default=3, help="Network cuts.")
    parser.add_argument("--rate", type=float, default=150.0, help="Readings per second.")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--only", choices=FAULT_KINDS, action="append", help="Fault kinds to run.")
    parser.add_argument("--results-dir", type=Path, default=RESULTS, help="Where JSON goes.")
    args = parser.parse_args(argv)
    counts = dict(
        zip(
            FAULT_KINDS,
            (args.kills, args.restarts, args.broker_kills, args.scale_cycles, args.cuts),
            strict=True,
        )
    )
    scenarios = [
        Scenario(kind, counts[kind], rate=args.rate, seed=args.seed + i)
        for i, kind in enumerate(FAULT_KINDS)
        if counts[kind] > 0 and (not args.only or kind in args.only)
    ]
    base = Settings()
    with tempfile.TemporaryDirectory(prefix="floodcast-chaos-") as tmp:
        results = run(scenarios, base, Path(tmp))
        print_table(results)
        payload = {
            "scenarios": [r.as_dict() for r in results],
            "exact": all(r.outcome.exact for r in results),
        }
        for scenario in payload["scenarios"]:
            scenario.pop("worker_logs")  # temporary files
        path = write_results("chaos", payload, args.results_dir)
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()

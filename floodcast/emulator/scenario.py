"""The simulations an emulator run plays back, built from its configuration."""

from __future__ import annotations

from floodcast.catchment import (
    CatchmentError,
    Simulation,
    UnknownBasinError,
    get_basin,
    list_basins,
    preset_storm,
    simulate,
)
from floodcast.emulator.emulator_config import EmulatorConfig
from floodcast.emulator.exceptions import EmulatorConfigError


def build_simulations(config: EmulatorConfig) -> tuple[Simulation, ...]:
    """Simulate every configured basin over the same period, with the same seed.

    Args:
        config: the run's configuration (basins, storm, duration, seed, start, step).

    Returns:
        One simulation per basin, in the configured order.

    Raises:
        EmulatorConfigError: for an unknown basin, a preset storm starting after the run
            ends, or arguments the simulator rejects.
    """
    n_steps = round(config.hours * 60 / config.step_minutes)
    storm_step = round(config.storm_start_hours * 60 / config.step_minutes)
    if config.storm != "random" and storm_step >= n_steps:
        raise EmulatorConfigError(
            f"the {config.storm} storm starts at {config.storm_start_hours} h, "
            f"after the {config.hours} h run ends"
        )
    simulations = []
    for basin_id in config.basins or list_basins():
        try:
            basin = get_basin(basin_id)
            storms = (
                None
                if config.storm == "random"
                else [
                    preset_storm(config.storm, basin, storm_step, step_minutes=config.step_minutes)
                ]
            )
            simulations.append(
                simulate(
                    basin,
                    days=config.days,
                    seed=config.seed,
                    step_minutes=config.step_minutes,
                    start=config.start,
                    storms=storms,
                )
            )
        except UnknownBasinError as exc:
            raise EmulatorConfigError(
                f"unknown basin {basin_id!r}; known: {list_basins()}"
            ) from exc
        except CatchmentError as exc:
            raise EmulatorConfigError(f"cannot simulate basin {basin_id!r}: {exc}") from exc
    return tuple(simulations)

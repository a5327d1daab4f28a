"""Catchment simulator: storms over river basins, runoff, routed discharge and floods.

Typical use::

    from floodcast.catchment import get_basin, preset_storm, simulate

    basin = get_basin("lowland")
    run = simulate(basin, days=365, seed=7)  # default storm climate
    demo = simulate(basin, days=3, seed=0, storms=[preset_storm("stalled", basin, 8)])
"""

from converters.exceptions import InvalidNetworkError
from converters.river_network import OUTLET, Basin
from floodcast.catchment.basins import (
    BUILTIN_BASINS,
    BUILTIN_SPECS,
    BasinSpec,
    get_basin,
    list_basins,
)
from floodcast.catchment.calibration import (
    DEFAULT_FLOOD_FRACTION,
    calibrate_bankfull,
    fit_regional_bankfull,
)
from floodcast.catchment.exceptions import (
    CalibrationError,
    CatchmentError,
    InvalidSimulationError,
    InvalidStormError,
    RoutingError,
    UnknownBasinError,
    UnknownStormPresetError,
)
from floodcast.catchment.footprint import BasinFootprint
from floodcast.catchment.gauges import TIP_MM, tipping_bucket
from floodcast.catchment.generator import BasinShape, generate_basin
from floodcast.catchment.rainfall import areal_rainfall, rainfall_field
from floodcast.catchment.routing import MuskingumReach, muskingum_coefficients, route_network
from floodcast.catchment.simulator import Simulation, simulate
from floodcast.catchment.storm_climate import DEFAULT_START, StormClimate
from floodcast.catchment.storm_presets import PRESET_STORMS, StormBuilder, preset_storm
from floodcast.catchment.storms import RainCell, Storm, StormKind
from floodcast.catchment.water_balance import WaterBalance

__all__ = [
    "BUILTIN_BASINS",
    "BUILTIN_SPECS",
    "DEFAULT_FLOOD_FRACTION",
    "DEFAULT_START",
    "OUTLET",
    "PRESET_STORMS",
    "TIP_MM",
    "Basin",
    "BasinFootprint",
    "BasinShape",
    "BasinSpec",
    "CalibrationError",
    "CatchmentError",
    "InvalidNetworkError",
    "InvalidSimulationError",
    "InvalidStormError",
    "MuskingumReach",
    "RainCell",
    "RoutingError",
    "Simulation",
    "Storm",
    "StormBuilder",
    "StormClimate",
    "StormKind",
    "UnknownBasinError",
    "UnknownStormPresetError",
    "WaterBalance",
    "areal_rainfall",
    "calibrate_bankfull",
    "fit_regional_bankfull",
    "generate_basin",
    "get_basin",
    "list_basins",
    "muskingum_coefficients",
    "preset_storm",
    "rainfall_field",
    "route_network",
    "simulate",
    "tipping_bucket",
]

"""Catchment simulator: storms over river basins, runoff, routed discharge and floods.

Typical use::

    from floodcast.catchment import get_basin, preset_storm, simulate

    basin = get_basin("lowland")
    run = simulate(basin, days=365, seed=7)  # default storm climate
    demo = simulate(basin, days=3, seed=0, storms=[preset_storm("stalled", basin, 8)])
"""

import lazy_loader

# Submodules load on first use, so importing the package costs nothing (as faust's face).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "basins": ["BUILTIN_BASINS", "BUILTIN_SPECS", "BasinSpec", "get_basin", "list_basins"],
        "calibration": ["DEFAULT_FLOOD_FRACTION", "calibrate_bankfull", "fit_regional_bankfull"],
        "exceptions": [
            "CalibrationError",
            "CatchmentError",
            "InvalidSimulationError",
            "InvalidStormError",
            "RoutingError",
            "UnknownBasinError",
            "UnknownStormPresetError",
        ],
        "footprint": ["BasinFootprint"],
        "gauges": ["TIP_MM", "tipping_bucket"],
        "generator": ["BasinShape", "generate_basin"],
        "rainfall": ["areal_rainfall", "rainfall_field"],
        "routing": ["MuskingumReach", "muskingum_coefficients", "route_network"],
        "simulator": ["Simulation", "simulate"],
        "storm_climate": ["DEFAULT_START", "StormClimate"],
        "storm_presets": ["PRESET_STORMS", "StormBuilder", "preset_storm"],
        "storms": ["RainCell", "Storm", "StormKind"],
        "water_balance": ["WaterBalance"],
    },
)

"""What the model sees: the feature names, their order, and the time windows behind them."""

from __future__ import annotations

from typing import Final

STEP_MINUTES: Final = 15
"""Gauges report rainfall over 15-minute intervals; features advance one step at a time."""

STEPS_PER_HOUR: Final = 60 // STEP_MINUTES

ACCUMULATION_STEPS: Final = {"15min": 1, "1h": 4, "3h": 12, "6h": 24, "12h": 48, "24h": 96}
"""Rainfall accumulation windows, by label, in 15-minute steps."""

PEAK_WINDOW_HOURS: Final = 3
"""Window over which the peak 15-minute intensity is taken."""

API_DAILY_DECAY: Final = 0.9
"""Antecedent precipitation index: yesterday's rain counts 0.9, the day before 0.81, ..."""

RAIN_RESOLUTION_MM: Final = 0.001
"""Rainfall is held as whole micrometres so that window sums are exact integers on any path."""

HISTORY_STEPS: Final = max(ACCUMULATION_STEPS.values())

GAUGE_STAT_NAMES: Final = (
    *(f"rain_{label}_mm" for label in ACCUMULATION_STEPS),
    f"peak_intensity_{PEAK_WINDOW_HOURS}h_mmh",
    "api_mm",
)
"""Per-gauge statistics, projected onto each reach's upstream area."""

LOCAL_STAT_NAMES: Final = ("local_rain_1h_mm", "local_rain_3h_mm")
"""Rain on the reach's own subcatchment."""

UPSTREAM_GAUGE_SHARE: Final = 0.03
"""A gauge counts as upstream of a reach when it carries at least this share of its weight."""

MAX_STAT_NAMES: Final = ("upstream_max_gauge_rain_1h_mm", "upstream_max_gauge_rain_3h_mm")
"""The wettest upstream gauge: an intense small cell that the area mean dilutes."""

STATIC_NAMES: Final = (
    "log_upstream_area_km2",
    "slope",
    "length_km",
    "bankfull_mmh",
    "longest_upstream_path_km",
    "reaches_to_outlet",
)
"""Reach attributes that do not change with time."""

DEMAND_NAMES: Final = ("rain_3h_over_bankfull", "rain_6h_over_bankfull", "rain_24h_over_bankfull")
"""Upstream rain relative to the rain rate the channel can carry at bankfull."""

RAIN_FEATURE_NAMES: Final = (
    *(f"upstream_{name}" for name in GAUGE_STAT_NAMES),
    *LOCAL_STAT_NAMES,
    *MAX_STAT_NAMES,
    *STATIC_NAMES,
    *DEMAND_NAMES,
)
"""The columns computed from rain gauges (and static reach attributes)."""

STAGE_FEATURE_NAMES: Final = (
    "stage_ratio_nearest",
    "stage_trend_1h_nearest",
    "stage_ratio_upstream_max",
    "stage_trend_1h_upstream_max",
    "stage_sensor_hops",
    "stage_missing",
    "stage_ratio_downstream",
    "flow_ratio_from_downstream",
    "flow_ratio_from_upstream",
)
"""River state from stage sensors (``features.river_stage``): stage over bankfull at the
nearest sensor and its 1 h change; the highest ratio and the steepest rise among sensors
upstream; signed reaches to the nearest sensor (negative: upstream); 1 when the nearest sensor
has nothing recent; stage over bankfull at the nearest sensor at or below the reach; and the
reach's own discharge over bankfull as two estimates, one from that sensor and one from the
nearest sensors upstream, each sensor's stage turned into discharge by the rating and scaled
by upstream area."""

FORECAST_WINDOW_STEPS: Final = {"1h": 4, "3h": 12, "6h": 24}
"""Rain forecast accumulation windows, by label, in steps after the feature's step."""

FORECAST_MAX_AGE_STEPS: Final = 8
"""A forecast stands for two hours after it was issued; after that it counts as missing."""

FORECAST_FEATURE_NAMES: Final = (
    *(f"forecast_rain_{label}_mm" for label in FORECAST_WINDOW_STEPS),
    "forecast_rain_6h_over_bankfull",
    "forecast_upstream_max_rain_3h_mm",
    "forecast_age_hours",
    "forecast_missing",
)
"""Rain to come from the latest rain forecast (``features.rain_forecast``): expected rain over
the reach's upstream area in the next 1, 3 and 6 h (what remains of the forecast's six hours),
the 6 h expectation over the bankfull rate, the wettest upstream sub-area over 3 h, the
forecast's age, and 1 when no forecast is fresh."""

FEATURE_NAMES: Final = (*RAIN_FEATURE_NAMES, *STAGE_FEATURE_NAMES, *FORECAST_FEATURE_NAMES)
"""Model input columns, in order."""

N_RAIN_FEATURES: Final = len(RAIN_FEATURE_NAMES)

STAGE_COLUMNS: Final = slice(N_RAIN_FEATURES, N_RAIN_FEATURES + len(STAGE_FEATURE_NAMES))
"""Where the stage features sit in a feature vector."""

FORECAST_COLUMNS: Final = slice(
    STAGE_COLUMNS.stop, STAGE_COLUMNS.stop + len(FORECAST_FEATURE_NAMES)
)
"""Where the rain forecast features sit in a feature vector."""

N_FEATURES: Final = len(FEATURE_NAMES)

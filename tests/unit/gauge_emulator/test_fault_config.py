"""FaultConfig: the --faults specification and its validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from floodcast.emulator import FaultConfig, FaultSpecError, MalformedKind, OfflineGauge


def test_parses_the_documented_example() -> None:
    """Probabilities, an even malformed spread and an offline gauge are read as written."""
    config = FaultConfig.parse("duplicates=0.01, malformed=0.007,late=0.02,offline=upland-G01")
    assert config.duplicates == 0.01
    assert config.late == 0.02
    assert config.too_late == 0.0
    assert config.malformed == {kind: pytest.approx(0.001) for kind in MalformedKind}
    assert config.offline == (OfflineGauge(gauge_id="upland-G01"),)


def test_kind_probability_overrides_the_spread_in_any_order() -> None:
    """A named kind keeps its own probability whether it comes before or after malformed=."""
    for spec in ("nan=0.5,malformed=0.07", "malformed=0.07,nan=0.5"):
        config = FaultConfig.parse(spec)
        assert config.malformed[MalformedKind.NAN] == 0.5
        assert config.malformed[MalformedKind.OVERSIZE] == pytest.approx(0.01)


def test_offline_takes_a_step_and_may_repeat() -> None:
    """offline=GAUGE@STEP sets the first missing step; several gauges may go offline."""
    config = FaultConfig.parse("offline=a@12,offline=b")
    assert config.offline == (
        OfflineGauge(gauge_id="a", from_step=12),
        OfflineGauge(gauge_id="b"),
    )
    assert config.offline[1].first_missing_step(100) == 50


def test_empty_spec_means_no_faults() -> None:
    """An empty specification configures nothing."""
    assert not FaultConfig.parse("").any
    assert FaultConfig.parse("too_late=0.1").any


def test_to_spec_round_trips() -> None:
    """Writing a configuration as text and parsing it back gives the same configuration."""
    config = FaultConfig.parse("duplicates=0.02,oversize=0.01,too_late=0.03,offline=g@4,offline=h")
    assert FaultConfig.parse(config.to_spec()) == config


@pytest.mark.parametrize(
    "spec",
    [
        "bogus=0.1",
        "duplicates",
        "duplicates=",
        "duplicates=lots",
        "late=1.5",
        "nan=-0.1",
        "offline=g@soon",
        "offline=g@-1",
        "offline=@3",
        "offline=g,offline=g",
        "late=0.6,too_late=0.6",
        "nan=0.6,oversize=0.6",
    ],
)
def test_bad_specs_are_refused(spec: str) -> None:
    """Unknown keys, bad numbers and impossible totals raise FaultSpecError."""
    with pytest.raises(FaultSpecError):
        FaultConfig.parse(spec)


def test_fault_spec_error_is_a_value_error() -> None:
    """Configuration errors are ValueErrors, as callers validating input expect."""
    assert issubclass(FaultSpecError, ValueError)


def test_direct_construction_validates_too() -> None:
    """Impossible totals are refused when built in Python as well."""
    with pytest.raises(ValidationError):
        FaultConfig(late=0.7, too_late=0.7)

"""A mechanism registered from outside ``sim/`` brings its own config section (``scenario.plugins.<name>``).

Its schema is a dataclass of ``param()`` fields (``Mechanism.config_schema``); validation refuses unknown
keys, values of the wrong type and values out of range, naming each key in full; a plugins key that names
no registered mechanism is refused; a mechanism's own rules (``config_problems``) are run; and each
instance reads its parsed section as ``self.settings``, with the schema's defaults for keys not given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pytest

from sim.config import ConfigError, param
from sim.hydra_app import compose_config
from sim.mechanisms import Mechanism, registry
from sim.model import CareModel

TINY = ["population=small", "run.years=0.05", "run.warmup_days=0", "run.event_log=false"]


@dataclass(frozen=True)
class DayCentreConfig:
    places: int = param(10, unit="places", lo=1, hi=1000, source="assumption: test")
    rate: float = param(1.0, unit="visits per week", lo=0.0, hi=7.0, source="assumption: test")
    mode: str = param("open", unit="open | referred", choices=Literal["open", "referred"], source="assumption: test")


class DayCentre(Mechanism):
    name = "day_centre"
    config_schema = DayCentreConfig

    @classmethod
    def config_problems(cls, cfg):
        problems = super().config_problems(cfg)
        if problems:  # the section itself is wrong: the rules below read it
            return problems
        if cls.settings_from(cfg).mode == "referred" and not cfg.scenario.coordinator.enabled:
            problems.append("scenario.plugins.day_centre.mode = 'referred' needs coordinators to refer: "
                            "set scenario.coordinator.enabled=true")
        return problems


@pytest.fixture
def day_centre():
    registry.register(DayCentre)
    try:
        yield DayCentre
    finally:
        registry.unregister(DayCentre)


def _problems(*overrides: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        compose_config([*TINY, *overrides])
    return info.value.problems


def test_the_section_is_parsed_with_defaults_and_reaches_the_mechanism(day_centre):
    model = CareModel(compose_config([*TINY, "+scenario.plugins.day_centre.rate=2.5"]), 0)
    assert model.day_centre.settings == DayCentreConfig(places=10, rate=2.5, mode="open")
    assert CareModel(compose_config(TINY), 0).day_centre.settings == DayCentreConfig()   # no section: the defaults
    assert model.mechanisms["teams"].settings is None   # a built-in mechanism reads its sections of the schema


def test_bad_values_of_a_plugin_section_are_named_in_full(day_centre):
    assert _problems("+scenario.plugins.day_centre.rate=9", "+scenario.plugins.day_centre.mode=closed") == [
        "scenario.plugins.day_centre.rate = 9.0: allowed range [0, 7] (visits per week)",
        "scenario.plugins.day_centre.mode = 'closed': allowed values are open, referred"]
    unknown = _problems("+scenario.plugins.day_centre.plaecs=3")
    assert unknown == ["scenario.plugins.day_centre.plaecs is not a parameter; valid keys here: mode, places, rate"]
    assert _problems("+scenario.plugins.day_centre.places=many") == [
        "scenario.plugins.day_centre.places: Value 'many' of type 'str' could not be converted to Integer"]
    assert _problems("+scenario.plugins.day_centre=3") == [
        "scenario.plugins.day_centre = 3: a config section maps its keys to values"]


def test_a_mechanism_adds_rules_of_its_own(day_centre):
    assert _problems("+scenario.plugins.day_centre.mode=referred") == [
        "scenario.plugins.day_centre.mode = 'referred' needs coordinators to refer: set scenario.coordinator.enabled=true"]
    compose_config([*TINY, "+scenario.plugins.day_centre.mode=referred", "scenario=coordinator_targeted"])


def test_a_section_for_no_registered_mechanism_is_refused(day_centre):
    assert _problems("+scenario.plugins.day_center.rate=1") == [
        "scenario.plugins.day_center: no mechanism named 'day_center' is registered (registered plug-ins: day_centre)"]
    assert _problems("+scenario.plugins.teams.rate=1") == [
        "scenario.plugins.teams: the mechanism 'teams' declares no config_schema, so it reads no plug-in section "
        "(registered plug-ins: day_centre)"]


def test_without_the_plugin_its_section_is_refused():
    assert _problems("+scenario.plugins.day_centre.rate=1") == [
        "scenario.plugins.day_centre: no mechanism named 'day_centre' is registered (registered plug-ins: none)"]

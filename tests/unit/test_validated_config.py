"""A config is validated once into a frozen object (sim/validated.py, issue 18).

* the schema is frozen: a composed config cannot be changed, only replaced (``dataclasses.replace``);
* a ``ValidatedConfig`` comes only from ``sim.validated.validate``: it cannot be constructed, copied with a
  changed value or changed, and validating it again returns it as it is;
* the run API validates each config once however many replications it runs, and not at all when it is
  given a validated config; the model builds on the capacity plan validation resolved.
"""

from __future__ import annotations

import dataclasses

import pytest

import sim.validated as validated_module
from sim.config import CapacityChangeConfig, ConfigError, SimConfig
from sim.hydra_app import compose_config, compose_validated
from sim.mechanisms import registry
from sim.model import CareModel
from sim.runner import run_paired
from sim.validated import ValidatedConfig, from_overrides, validate

TINY = ["population=small", "run.years=0.05", "run.warmup_days=0", "run.event_log=false"]


def test_a_composed_config_is_frozen_and_changes_only_by_replacement():
    cfg = compose_config(["population=small", "scenario=capacity_move_controls_to_gp"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.seed = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.scenario.coordinator.enabled = True
    entry = cfg.scenario.capacity_moves.calendar[0]
    assert isinstance(entry, CapacityChangeConfig)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.share = 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        del entry.share
    assert dataclasses.replace(entry, share=0.5).share == 0.5 and entry.share != 0.5
    assert dataclasses.replace(cfg, seed=1).seed == 1 and cfg.seed == 0


def test_only_validate_makes_a_validated_config():
    cfg = compose_config(["population=small"])
    checked = validate(cfg)
    assert isinstance(checked, ValidatedConfig) and checked.config is cfg
    assert validate(checked) is checked                          # free: not validated again
    with pytest.raises(TypeError, match="only by sim.validated.validate"):
        ValidatedConfig(cfg, {})
    with pytest.raises(TypeError):                               # not a dataclass: no copy with a changed value
        dataclasses.replace(checked, config=dataclasses.replace(cfg, seed=5))
    with pytest.raises(AttributeError):
        checked.config = dataclasses.replace(cfg, seed=5)
    with pytest.raises(TypeError):
        checked.resolved["capacity_moves"] = None                # what validation resolved is read-only
    with pytest.raises(TypeError, match="needs a sim.config.SimConfig"):
        validate({"seed": 0})


def test_a_bad_value_is_refused_by_validate_and_on_entry_to_a_run():
    bad = dataclasses.replace(SimConfig(), seed=-1)
    with pytest.raises(ConfigError, match=r"^invalid configuration:\n  - seed = -1: allowed range"):
        validate(bad)
    with pytest.raises(ConfigError):
        CareModel(bad)
    calendar = [CapacityChangeConfig(name="close", resource="medical_beds", share=-1.0)]
    no_beds = dataclasses.replace(SimConfig(), scenario=dataclasses.replace(
        SimConfig().scenario, capacity_moves=dataclasses.replace(SimConfig().scenario.capacity_moves, calendar=calendar)))
    with pytest.raises(ConfigError, match=r"calendar\[0\] \(close\) makes the medical beds zero"):
        validate(no_beds)                                        # the capacity-moves mechanism's own check


@pytest.fixture
def counted(monkeypatch):
    """Counts validations: each runs the config's own checks (value_problems) once."""
    calls: list[int] = []
    checks = validated_module.value_problems

    def counting(cfg):
        calls.append(cfg.seed)
        return checks(cfg)

    monkeypatch.setattr(validated_module, "value_problems", counting)
    return calls


def test_run_paired_validates_each_config_once_however_many_replications(counted):
    baseline = compose_config(TINY)          # composing validates (once each), for early errors
    scenario = compose_config([*TINY, "scenario=coordinator_targeted"])
    counted.clear()
    paired = run_paired([baseline, scenario], [0, 1])
    assert [len(results) for results in paired] == [2, 2]
    assert len(counted) == 2                 # one per config: not per replication, not per model


def test_a_validated_config_is_not_validated_again(counted):
    checked = [compose_validated(TINY), compose_validated([*TINY, "scenario=coordinator_targeted"])]
    assert len(counted) == 2
    run_paired(checked, [0, 1])
    assert len(counted) == 2


def test_the_model_builds_on_the_capacity_plan_validation_resolved():
    checked = compose_validated([*TINY, "scenario=capacity_move_ward_to_subacute"])
    first, second = CareModel(checked, 0), CareModel(checked, 1)
    assert first.capacity_plan is checked.capacity_plan is second.capacity_plan
    assert first.validated is checked and first.cfg is checked.config
    assert [c.name for c in checked.capacity_plan.changes] == [e.name for e in checked.config.scenario.capacity_moves.calendar]


def test_the_mechanisms_checks_are_collected_by_the_registry():
    cfg = from_overrides({"population.inhabitants": 40000, "population.general_practitioners": 26,
                          "population.municipality_names": ["North", "South"], "population.municipality_shares": [0.5, 0.5]})
    assert registry.config_problems(cfg) == []
    day = dataclasses.replace(cfg.scenario.capacity_moves, transfer_conditions=["copd"], transfer_from_day=-10_000)
    late = dataclasses.replace(cfg, scenario=dataclasses.replace(cfg.scenario, capacity_moves=day))
    assert registry.config_problems(late) == [
        f"scenario.capacity_moves.transfer_from_day = -10000: it falls before the run starts; the earliest day is "
        f"-{int(cfg.run.warmup_days)} (the start of the warm-up)"]

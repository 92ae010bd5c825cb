"""The specialisation dilemma's rules in isolation: validation of its knobs and the arithmetic of one discharge.

The arithmetic tests use the real ``SpecialisedPathway`` on a model that is built but not run, with
hand-made patients and coordinators, so each rule (erosion only above the reference, diffusion only with a
coordinator, links in a chain or a mesh, scope and disease-specific coverage) is checked exactly.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from sim.config import ConfigError
from sim.validated import from_overrides
from sim.facts import all_fact_tables
from sim.model import CareModel
from sim.mechanisms.specialisation import GENERAL_PRACTICE, HOSPITAL_UNIT, SpecialisedPathway

SP = "scenario.specialisation"


def _problems(overrides: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        from_overrides(overrides)
    return info.value.problems


@pytest.mark.parametrize("key,value,allowed", [
    (f"{SP}.level", 9, "allowed range [1, 8]"),
    (f"{SP}.level", 0, "allowed range [1, 8]"),
    (f"{SP}.p_coordinator_link_fail", 1.2, "allowed range [0, 1]"),
    (f"{SP}.diffusion", -0.1, "allowed range [0, 5]"),
    ("scenario.coordinator.functions", 11, "allowed range [1, 10]"),
])
def test_out_of_range_knobs_name_the_key_and_range(key, value, allowed):
    problems = _problems({key: value})
    assert len(problems) == 1 and key in problems[0] and allowed in problems[0], problems


def test_unknown_link_mode_lists_the_allowed_values():
    (problem,) = _problems({f"{SP}.coordinator_links": "star"})
    assert f"{SP}.coordinator_links" in problem and "sequential" in problem and "mesh" in problem


def test_specialisation_cannot_make_inpatient_care_worse_than_the_reference():
    (problem,) = _problems({f"{SP}.untreated_floor": 0.5})  # the core model leaves 1 - 0.8 = 0.2 untreated
    assert f"{SP}.untreated_floor" in problem and "[0, 0.2]" in problem


def test_several_functions_with_the_disease_specific_design_is_an_error():
    (problem,) = _problems({"scenario.coordinator.functions": 2, "scenario.coordinator.kind": "specialised"})
    assert "scenario.coordinator.functions" in problem and "kind = 'holistic'" in problem


# -- one discharge's arithmetic ---------------------------------------------------------------------
TABLE_OF_RECORD = {table.record: table.name for table in all_fact_tables()}


class _Recorder:
    def __init__(self):
        self.facts: list[tuple] = []

    def fact(self, row):  # (table name, *fields), so the checks below read like the recorder's tables
        self.facts.append((TABLE_OF_RECORD[type(row)], *row))


class _Draws:
    """A stream that returns the given numbers in turn (0.0 always fails, 0.99 never does)."""
    def __init__(self, values):
        self.values = list(values)

    def random(self):
        return self.values.pop(0)


def _pathway(**settings) -> SpecialisedPathway:
    # a tiny catchment that still has a bed per ward and a home-nursing place (zero capacity is refused)
    cfg = from_overrides({"population.inhabitants": 2000, "population.general_practitioners": 2,
                          "population.municipality_names": ["Only"], "population.municipality_shares": [1.0],
                          "capacity.psychiatric_beds_per_1000": 0.5,
                          **{f"{SP}.{k}": v for k, v in settings.items()}})
    model = CareModel(cfg, 0)
    model.recorder = _Recorder()
    return model.specialisation


def _patient(conditions, draws=(), coordinators=()):
    return SimpleNamespace(conditions=tuple(conditions), person_id=7, teams=list(coordinators),
                           streams=SimpleNamespace(get=lambda name, d=_Draws(draws): d))


class _Coordinator:
    """A coordinating team as the pathway sees it (hashable by identity, like a real team)."""
    def __init__(self, name, conditions=None, repair=1.0):
        self.name, self.conditions = name, conditions
        self.role = SimpleNamespace(covers_handoffs=True, joint_discharge_plan=False, p_handoff_repair=repair)

    def acts_on(self, condition):
        return self.conditions is None or condition in self.conditions


_coordinator = _Coordinator


def test_switched_off_every_probability_is_the_core_models():
    pathway = _pathway(enabled=False, level=6)
    patient = _patient([0, 1, 2])
    assert pathway.handoff_failure(0.15, patient, GENERAL_PRACTICE, coordinated=True) == 0.15
    assert pathway.p_inpatient_stabilises(0.8) == 0.8
    assert pathway.unit_handoffs(patient, []) == (0, 0)
    assert pathway.repair_probability(0.7) == 0.7


def test_erosion_grows_with_conditions_and_units_above_the_reference_only():
    pathway = _pathway(enabled=True, level=5, erosion_per_unit=0.1, diffusion=0.5)
    three = _patient([0, 1, 2])
    assert pathway.handoff_failure(0.1, three, GENERAL_PRACTICE, False) == pytest.approx(0.1 * (1 + 0.1 * 3 * 3))
    # a coordinator makes the units relax: diffusion multiplies on top
    assert pathway.handoff_failure(0.1, three, GENERAL_PRACTICE, True) == pytest.approx(0.1 * 1.9 * 1.5)
    below = _pathway(enabled=True, level=1, erosion_per_unit=0.1)
    assert below.handoff_failure(0.1, three, GENERAL_PRACTICE, False) == 0.1


def test_quality_inside_units_rises_towards_the_floor():
    untreated = {s: 1 - _pathway(enabled=True, level=s).p_inpatient_stabilises(0.8) for s in (1, 2, 3, 8)}
    assert untreated[2] == pytest.approx(0.2)  # the core model's 1 - p_inpatient_stabilises
    assert untreated[1] > untreated[2] > untreated[3] > untreated[8] > 0.08
    assert untreated[3] == pytest.approx(0.08 + 0.12 * math.exp(-0.6))


def test_unit_handoffs_are_extra_levels_times_conditions_and_coordinators_cover_their_scope():
    pathway = _pathway(enabled=True, level=4, p_unit_handoff_fail=1.0, erosion_per_unit=0.0,
                       coordinator_scope=3, system_level_share=0.0)
    generic = _coordinator("coordinator", repair=1.0)
    # 2 conditions x 2 extra levels = 4 handoffs, all failing (p = 1); the coordinator repairs 3 (its scope)
    patient = _patient([0, 3], draws=[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], coordinators=[generic])
    assert pathway.unit_handoffs(patient, [generic]) == (4, 1)
    units = [f[3] for f in pathway.model.recorder.facts if f[0] == "contacts"]
    assert len(units) == 4 and len(set(units)) == 4  # four distinct units, one contact each
    repairs = [f for f in pathway.model.recorder.facts if f[0] == "handoff_repairs"]
    assert len(repairs) == 3 and all(f[-1] == HOSPITAL_UNIT for f in repairs)


def test_a_disease_specific_coordinator_covers_only_its_condition():
    pathway = _pathway(enabled=True, level=3, p_unit_handoff_fail=1.0, erosion_per_unit=0.0,
                       system_level_share=0.0)
    copd_only = _coordinator("coordinator_copd", conditions=(0,))
    patient = _patient([0, 1], draws=[0.0, 0.0, 0.0], coordinators=[copd_only])
    assert pathway.unit_handoffs(patient, [copd_only]) == (2, 1)  # the second condition's unit handoff stays failed


def test_system_level_failures_are_not_repaired_but_reported():
    pathway = _pathway(enabled=True, system_level_share=0.3)
    assert pathway.attempt_repair(0.5, 1.0, GENERAL_PRACTICE)          # 0.5 < 0.7: repaired
    assert not pathway.attempt_repair(0.8, 1.0, HOSPITAL_UNIT)         # would have been, but system-level
    assert pathway.reported == {HOSPITAL_UNIT}


@pytest.mark.parametrize("mode,m,links", [("sequential", 1, 0), ("sequential", 4, 3), ("mesh", 4, 6), ("mesh", 2, 1)])
def test_coordinator_links_in_a_chain_or_a_mesh(mode, m, links):
    pathway = _pathway(enabled=True, coordinator_links=mode, p_coordinator_link_fail=1.0)
    teams = [_coordinator(f"c{j}") for j in range(m)]
    patient = _patient([0], draws=[0.0] * links, coordinators=teams)
    assert pathway.coordinator_links(patient, teams) == (links, links)
    off = _pathway(enabled=False, coordinator_links=mode, p_coordinator_link_fail=1.0)
    assert off.coordinator_links(patient, teams) == (links, 0)  # counted in any scenario, failing only when on


def test_each_coordinator_holds_the_ready_patients_bed_for_the_ward_time():
    pathway = _pathway(enabled=True, ward_hours_per_coordinator=6.0)
    two = _patient([0], coordinators=[_coordinator("a"), _coordinator("b")])
    assert pathway.alignment_days(two) == pytest.approx(0.5)
    assert pathway.alignment_days(_patient([0])) == 0.0
    assert _pathway(enabled=False, ward_hours_per_coordinator=6.0).alignment_days(two) == 0.0

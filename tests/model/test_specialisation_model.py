"""The specialisation dilemma inside the running model (small catchment, short runs).

1. It is part of the model, not a fork: switched on at the reference level without coordinators it
   reproduces usual care exactly (same seed: same KPIs and the same event log, to the last event).
2. Structure: every discharge above the reference passes ``(level - reference) x conditions`` more unit
   handoffs; coordinators add one patient link each and links among themselves (chain or mesh); the
   disease-specific design gives a multimorbid patient one coordinator per condition, the generic one one.
3. Direction on one replication where the effect is many standard errors: specialisation leaves fewer
   unstable phases untreated; the management loop fixes interfaces only when management responds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import outcomes
from sim.hydra_app import compose_config
from sim.model import CareModel

SHORT = ["population=small", "seed=0", "run.years=0.5", "run.warmup_days=30"]
SP = "scenario.specialisation"


def _run(*overrides: str) -> CareModel:
    return CareModel(compose_config([*SHORT, *overrides]), 0).run()


def _all(model: CareModel) -> pd.Series:
    kpis = outcomes.compute(model)
    return kpis[kpis.group == "all"].set_index("kpi")["value"]


def _transitions(model: CareModel) -> pd.DataFrame:
    t = model.recorder.table("transitions")
    n_conditions = model.population.conditions.sum(axis=1)
    row_of = pd.Series(np.arange(len(n_conditions)), index=model.population.person_id)
    return t.assign(conditions=n_conditions[row_of[t.person_id].to_numpy()])


@pytest.fixture(scope="module")
def usual_care() -> CareModel:
    return _run()


def test_at_the_reference_level_without_coordinators_the_mechanism_is_usual_care(usual_care):
    switched_on = _run(f"{SP}.enabled=true", f"{SP}.level=2", f"{SP}.reference_level=2")
    pd.testing.assert_frame_equal(outcomes.compute(switched_on), outcomes.compute(usual_care))
    pd.testing.assert_frame_equal(switched_on.recorder.event_log(), usual_care.recorder.event_log())
    assert len(usual_care.recorder.table("transitions")) > 200  # the comparison covered many discharges


def test_units_above_the_reference_add_a_handoff_per_condition_and_level(usual_care):
    base = _transitions(usual_care)
    assert base.handoffs.between(1, 2).all()  # the GP, and home nursing when used
    specialised = _transitions(_run(f"{SP}.enabled=true", f"{SP}.level=4"))
    extra = specialised.handoffs - 2 * specialised.conditions
    assert extra.between(1, 2).all(), specialised[~extra.between(1, 2)].head()
    assert (specialised.conditions >= 3).any()  # multimorbid patients were among the discharges


def test_specialised_units_leave_fewer_unstable_phases_untreated(usual_care):
    # an admission leaves an unstable phase untreated 1.5x as often at level 1 as at the reference, and
    # 2.2x less often at level 6 (teaching values); about 600 discharges per run put a share of 0.06 within
    # +/- 0.01, so a ratio of 1.25 is about three standard errors inside the expected ones (same seed: paired)
    share = {level: _all(_run(f"{SP}.enabled=true", f"{SP}.level={level}"))["untreated_at_discharge_share"]
             for level in (1, 6)}
    share[2] = _all(usual_care)["untreated_at_discharge_share"]
    assert share[1] > 1.25 * share[2] and share[2] > 1.25 * share[6], share


@pytest.mark.parametrize("mode,links_per_discharge", [("sequential", 3 + 2), ("mesh", 3 + 3)])
def test_coordinators_add_patient_links_and_links_among_themselves(mode, links_per_discharge):
    model = _run("scenario=coordinator_universal", "scenario.coordinator.functions=3", f"{SP}.enabled=true",
                 f"{SP}.coordinator_links={mode}")
    t = _transitions(model)
    three = t[t.coordinators == 3]
    assert len(three) > 50
    assert (three.coordinator_links == links_per_discharge).all()
    assert (t.coordinator_links[t.coordinators == 1] == 1).all()  # one coordinator: just the patient link
    kpis = _all(model)
    assert kpis["failed_coordinator_link_share"] > 0


def test_coordinator_links_never_fail_with_the_mechanism_off():
    kpis = _all(_run("scenario=coordinator_universal", "scenario.coordinator.functions=3"))
    assert kpis["coordinator_interfaces_per_discharge"] > 2  # the links are there and counted
    assert kpis["failed_coordinator_link_share"] == 0


def test_disease_specific_design_gives_multimorbid_patients_one_coordinator_per_condition():
    generic = _transitions(_run("scenario=coordinator_universal", f"{SP}.enabled=true"))
    specific = _transitions(_run("scenario=coordinator_universal", "scenario.coordinator.kind=specialised",
                                 f"{SP}.enabled=true"))
    assert generic.coordinators.max() == 1
    assert (specific.coordinators <= specific.conditions).all()
    complex_ = specific[specific.conditions >= 3]
    assert complex_.coordinators.mean() > 2  # most have one per condition (a full caseload can leave one out)


def test_management_fixes_interfaces_only_when_it_responds():
    loop = [f"{SP}.enabled=true", f"{SP}.level=4", "scenario=coordinator_universal", f"{SP}.management_review_days=30"]
    responsive = _run(*loop, f"{SP}.management_responsiveness=1")
    deaf = _run(*loop, f"{SP}.management_responsiveness=0")
    fixes = responsive.recorder.table("structural_fixes")
    assert len(fixes) >= 3 and set(fixes.interface) <= {"general_practice", "municipality", "hospital_unit"}
    assert min(responsive.specialisation.structural.values()) < 1.0
    assert len(deaf.recorder.table("structural_fixes")) == 0
    assert _all(responsive)["adverse_transition_share"] < _all(deaf)["adverse_transition_share"]


def test_coordinators_take_ward_time_so_ready_patients_keep_their_beds():
    crowded = ["scenario=coordinator_universal", "scenario.coordinator.functions=3", f"{SP}.enabled=true"]
    none = _all(_run(*crowded, f"{SP}.ward_hours_per_coordinator=0"))
    half_day = _all(_run(*crowded, f"{SP}.ward_hours_per_coordinator=4"))  # 3 coordinators: half a day per discharge
    # about 0.5 days x discharges per 1,000 patient-years more delayed discharge, deterministic in size
    assert half_day["delayed_discharge_days_per_1000py"] > none["delayed_discharge_days_per_1000py"] + 50
    assert half_day["bed_days_per_1000py"] > none["bed_days_per_1000py"]

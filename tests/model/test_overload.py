"""No queue hides a patient (MODEL.md §6): a patient waiting for a bed is somewhere, is costed, and its illness
goes on; wards under pressure use corridor beds, discharge the most stable patient, and place patients on other
wards or at other hospitals, each on the record and costed by payer."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim import outcomes
from sim.validated import from_overrides
from sim.model import CareModel

# A plain queue (pressure rules off) for one bed per ward: thousands of people wait for a bed for months,
# and every deterioration hazard is constant (no unstable phases, no post-discharge or age or activation
# ratios), so what happens to people while they wait can be checked against the hazard exactly.
CONSTANT_HAZARD = {
    "pathways.instability_onset_rate": 0.0,
    "pathways.post_discharge_ratio": 1.0,
    "pathways.failed_handoff_ratio": 1.0,
    "pathways.deterioration_age_ratio": [1.0, 1.0, 1.0, 1.0],
    "pathways.deterioration_pam_ratio": [1.0, 1.0, 1.0, 1.0],
    "pathways.deterioration_vulnerable_ratio": 1.0,
    "pathways.deterioration_frailty_exponent": 0.0,
}


class RecordingModel(CareModel):
    """Remembers every patient's exit time as drawn at entry (the run removes patients when they leave)."""

    def _admit_to_catchment(self, row: int):
        patient = super()._admit_to_catchment(row)
        self.drawn_exits = getattr(self, "drawn_exits", {})
        self.drawn_exits[patient.person_id] = (patient.exit_time, patient.exit_reason)
        return patient


@pytest.fixture(scope="module")
def queue_of_months(small_overrides):
    cfg = from_overrides(small_overrides({
        **CONSTANT_HAZARD, "overload.enabled": False,
        "capacity.medical_beds_per_1000": 0.05, "capacity.psychiatric_beds_per_1000": 0.025,  # 2 and 1 beds
        "run.years": 1, "run.warmup_days": 60, "run.event_log": False}))
    model = RecordingModel(cfg, 0)
    model.run()
    return model


def test_deaths_happen_when_they_are_due_wherever_the_patient_is(queue_of_months):
    """Every death happens at the time drawn at entry: waiting for a bed, in a bed or at home (a queue never
    postpones it). Moves out of the catchment wait for an episode in progress to end."""
    model = queue_of_months
    exits = model.recorder.table("exits")
    deaths = exits[exits.reason == "death"]
    due = np.array([model.drawn_exits[p][0] for p in deaths.person_id])
    np.testing.assert_array_equal(deaths.time.to_numpy(), due)
    where = model.recorder.table("deaths_in_care")
    assert (where.place == "boarding").sum() >= 5, "people died while waiting for a bed"
    assert set(where.person_id) <= set(deaths.person_id)
    # their wait is on the record (and costed) as a wait that ended without a bed
    adm = model.recorder.table("admissions")
    died_waiting = adm[adm.place == "died_waiting"]
    boarding_deaths = where[where.place == "boarding"]
    assert sorted(zip(died_waiting.person_id, died_waiting.left)) == sorted(zip(boarding_deaths.person_id, boarding_deaths.time))


def test_deteriorations_go_on_while_waiting_for_a_bed_at_the_usual_hazard(queue_of_months):
    """Deteriorations that begin while a patient waits for a bed arrive at the patient's own hazard.

    With every rate ratio at 1 a patient's hazard is the sum of its conditions' stable-phase rates, so the
    expected number of deteriorations while waiting is sum(hazard x waiting time) over every wait (waits
    still open at the end of the run included). The count is Poisson: we accept the 99.9% interval."""
    model = queue_of_months
    rates = np.asarray(model.cfg.pathways.deterioration_rate) / 365.0
    hazard = model.population.conditions.astype(float) @ rates
    adm = outcomes.admissions_table(model)
    waits = adm[adm.person_id >= 0]
    waited = (waits.admitted - waits.arrival).to_numpy()
    expected = float((hazard[waits.person_id.to_numpy()] * waited).sum())
    det = model.recorder.table("deteriorations")
    observed = int((det.outcome == "while_boarding").sum())
    assert expected > 100, "the check needs many person-days of waiting"
    low, high = stats.poisson.ppf([0.0005, 0.9995], expected)
    assert low <= observed <= high, f"{observed} deteriorations while waiting, {expected:.0f} expected"


def test_waiting_for_a_bed_is_costed_by_the_hospital(queue_of_months):
    k = outcomes.compute(queue_of_months)
    a = k[k.group == "all"].set_index("kpi").value
    w = outcomes.Window(queue_of_months)
    assert a.boarding_days_per_1000py > 1000
    boarding_cost = w.boarding_days.sum() * queue_of_months.cfg.costs.ed_boarding_day
    assert boarding_cost > 0.2 * a.cost_hospital_dkk, "waiting for a bed is a large part of the hospital's cost here"


# -- the pressure rules -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def congested(small_overrides):
    """Half again as many acute background admissions: the wards run full."""
    cfg = from_overrides(small_overrides({"pathways.background_acute_admissions_per_1000": [38.0, 3.0],
                                          "run.years": 1, "run.warmup_days": 120, "run.event_log": False}))
    model = CareModel(cfg, 0)
    model.run()
    kpis = outcomes.compute(model)
    return model, kpis[kpis.group == "all"].set_index("kpi").value


def test_every_pressure_rule_is_used_and_on_the_record(congested):
    model, a = congested
    assert a.corridor_bed_days > 0
    assert a.pressure_discharges_per_1000py > 0 and a.pressure_discharges_all > 0
    assert a.other_ward_admissions_per_1000py > 0
    assert a.other_hospital_admissions_per_1000py > 0 and a.other_hospital_admission_share_all > 0
    assert a.bed_days_other_hospital_per_1000py > 0
    # the region pays the stays at other hospitals and the transport there
    assert a.cost_region_dkk > 0
    # a transfer is a handoff (it can fail) and brings one more actor
    handoffs = model.recorder.table("handoffs")
    assert {"other_ward", "other_hospital"} <= set(handoffs.target)
    contacts = model.recorder.table("contacts")
    assert contacts.actor.str.endswith("/other_hospital").any()


def test_beds_in_use_stay_within_normed_and_corridor_beds(congested):
    model, _ = congested
    for ward in (model.medical_ward, model.psychiatric_ward):
        assert ward.occupied.peak <= ward.pressure.places(ward.beds_count)
        assert ward.corridor.peak == ward.occupied.peak - ward.beds_count  # the corridor was full at times
        assert ward.boarding.peak <= ward.pressure.boarding_places


def test_a_pressure_discharge_ends_the_stay_nearest_to_its_planned_end(congested):
    model, _ = congested
    early = model.recorder.table("pressure_discharges")
    assert len(early) > 0
    assert (early.days_early <= model.cfg.overload.pressure_discharge_max_days_early + 1e-9).all()
    assert (early.days_early >= 0).all()

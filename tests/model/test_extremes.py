"""Extreme-value verification: no spare beds, unlimited capacity, no chronic patients."""

from __future__ import annotations

import numpy as np
import pytest

from sim.capacity import APPOINTMENT_TIME_OF_DAY, earliest_day
from sim.validated import from_overrides
from sim.runner import run_replication

SHORT = {"run.years": 1, "run.warmup_days": 60, "run.event_log": False}


# -- one bed per ward ---------------------------------------------------------------------------------
# With the pressure rules off (a plain queue) the boarding queue must grow without bound, and the
# queue-growth guard must say so; with them on (the default) nobody waits long: the hospital places the
# patients elsewhere, the region pays, and the queue stays bounded by the acute unit's places.
# 0.025 per 1,000 x 40,000 inhabitants = exactly one bed per ward (a rate that rounds to 0 beds is refused)
ONE_BED = {"capacity.medical_beds_per_1000": 0.025,
           "capacity.psychiatric_beds_per_1000": 0.025,
           "run.years": 2, "run.warmup_days": 60, "run.event_log": False}


@pytest.fixture(scope="module")
def one_bed(small_overrides, model_runner):
    return model_runner(from_overrides(small_overrides({**ONE_BED, "overload.enabled": False})))


@pytest.fixture(scope="module")
def one_bed_with_pressure_rules(small_overrides, model_runner):
    return model_runner(from_overrides(small_overrides(ONE_BED)))


def test_no_spare_beds_boarding_grows(one_bed):
    model = one_bed.model
    assert model.medical_ward.beds_count == 1 and model.psychiatric_ward.beds_count == 1
    ts = one_bed.timeseries.set_index("day")
    end_year_1 = ts.boarding.loc[model.results_start + 365]
    end_year_2 = ts.boarding.loc[model.results_start + 730]
    assert end_year_2 > end_year_1 > ts.boarding.loc[model.results_start]
    # demand is ~100 bed requests a day against ~1/5 discharges a day: the queue grows by
    # thousands a year (far beyond any random fluctuation)
    assert end_year_2 - end_year_1 > 1000
    assert ts.medical_beds_occupied.max() == 1 and ts.psychiatric_beds_occupied.max() == 1
    # the queue-growth guard names both wards' queues
    growing = one_bed.kpis[(one_bed.kpis.kpi == "queue_growing") & (one_bed.kpis.value == 1.0)].group
    assert {"queue=medical_ward_boarding", "queue=psychiatric_ward_boarding"} <= set(growing)


def test_no_spare_beds_boarding_waits_are_large(one_bed):
    # anyone admitted at all waited months for the single bed, and was costed for it
    assert one_bed.all["boarding_wait_mean_hours_all"] > 24 * 30
    assert one_bed.all["boarding_wait_mean_hours"] > 24 * 30
    assert one_bed.all["medical_bed_occupancy"] == pytest.approx(1.0, abs=1e-9)
    assert one_bed.all["boarding_days_per_1000py"] > 1000


def test_no_spare_beds_with_pressure_rules_places_patients_elsewhere(one_bed_with_pressure_rules, one_bed):
    run = one_bed_with_pressure_rules
    ts = run.timeseries
    places = run.model.medical_ward.pressure.boarding_places + run.model.psychiatric_ward.pressure.boarding_places
    assert ts.boarding.max() <= places, "waiting for a bed is bounded by the acute unit's places"
    assert run.all["boarding_wait_mean_hours_all"] <= run.model.cfg.overload.max_boarding_hours
    assert run.all["other_hospital_admission_share_all"] > 0.9
    assert run.all["cost_region_dkk"] > 0
    assert not run.kpis[(run.kpis.kpi == "queue_growing") & run.kpis.group.str.endswith("_boarding")].value.any()
    # more care happens than when everyone queues for the one bed (where the queue hides the demand)
    assert run.all["bed_days_per_1000py"] > one_bed.all["bed_days_per_1000py"]
    assert run.all["acute_admissions_per_1000py"] > one_bed.all["acute_admissions_per_1000py"]


# -- unlimited capacity: every wait is zero (or the appointment-at-noon rounding) --------------------
@pytest.fixture(scope="module")
def unlimited(small_overrides, model_runner):
    return model_runner(from_overrides(small_overrides({**SHORT, "capacity.unlimited_capacity": True})))


def test_unlimited_gp_waits(unlimited):
    """Same day if the patient calls before noon, else the next day (sim.capacity.earliest_day); so a wait
    is at most one day, about half a day on average (calls spread over the day), never a backlog."""
    gp = unlimited.table("gp_contacts")
    det = gp[gp.kind == "deterioration"]
    assert len(det) > 500
    expected = np.array([earliest_day(r, same_day=True) + APPOINTMENT_TIME_OF_DAY for r in det.requested])
    np.testing.assert_array_equal(det.seen.to_numpy(), expected)
    wait = (det.seen - det.requested).to_numpy()
    assert wait.max() <= 1.0 and wait.min() >= 0.0
    assert (wait[(det.requested % 1.0 < 0.5).to_numpy()] <= 0.5).all()
    assert unlimited.all["gp_wait_mean_days"] < 1.0
    # planned checks: the first day after the due date
    check = gp[gp.kind == "check"]
    assert ((check.seen - check.requested) <= 1.5).all()


def test_unlimited_no_boarding_no_delayed_discharge(unlimited):
    adm = unlimited.table("admissions")
    assert len(adm) > 0
    assert (adm.admitted == adm.arrival).all()
    assert (adm.left == adm.ready).all()
    hn = unlimited.table("home_nursing")
    assert len(hn) > 0 and (hn.started == hn.requested).all()
    assert unlimited.all["boarding_wait_mean_hours"] == 0.0
    assert unlimited.all["boarding_wait_mean_hours_all"] == 0.0
    assert unlimited.all["delayed_discharge_days_per_1000py"] == 0.0
    assert unlimited.timeseries.boarding.max() == 0


def test_unlimited_outpatient_waits(unlimited):
    op = unlimited.table("outpatient")
    bg = unlimited.table("outpatient_background")
    assert len(op) > 0 and len(bg) > 0
    assert ((op.appointment - op.requested) <= 1.5).all()
    assert ((bg.appointment - bg.requested) <= 1.5).all()
    assert unlimited.all["outpatient_new_referral_wait_mean_days_all"] <= 1.5
    assert unlimited.all["rtt_compliance_all"] == 1.0


# -- no chronic patients: nothing happens to patients, background demand still runs -----------------
@pytest.fixture(scope="module")
def empty_cfg(small_overrides, no_patients):
    return from_overrides(small_overrides({**SHORT, **no_patients, "run.event_log": True}))


def test_no_chronic_patients_no_patient_activity(empty_cfg):
    from sim.model import CareModel

    model = CareModel(empty_cfg, 0)
    assert len(model.population) == 0
    model.run()
    rec = model.recorder
    for table in ("entries", "exits", "deteriorations", "gp_contacts", "ed_visits", "outpatient",
                  "handoffs", "home_nursing", "contacts", "detections"):
        assert len(rec.table(table)) == 0, f"{table} has rows without patients"
    adm = rec.table("admissions")
    assert len(adm) > 0 and (adm.person_id == -1).all(), "only background admissions"
    assert len(rec.table("gp_background")) > 0 and len(rec.table("outpatient_background")) > 0
    assert model.patients_present == 0
    assert len(rec.event_log()) == 0  # the event log is about patients only


def test_no_chronic_patients_kpis_can_be_computed(empty_cfg):
    """The KPI step must cope with an empty caseload: zero patients, system KPIs from background demand."""
    result = run_replication(empty_cfg, 0)
    kpis = result.kpis[result.kpis.group == "all"].set_index("kpi").value
    assert kpis["patients"] == 0
    assert kpis["patient_years"] == 0
    assert np.isfinite(kpis["medical_bed_occupancy"]) and kpis["medical_bed_occupancy"] > 0
    assert np.isfinite(kpis["gp_referral_fraction"])

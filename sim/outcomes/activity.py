"""Core per-patient measures beyond the window's own: stays by place, readmissions, outpatient contacts,
handoffs and transitions, home nursing and fragmentation (each a :class:`sim.kpi.Measure`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..agents.ward_pressure import ON_WARD, OTHER_HOSPITAL, OTHER_WARD
from ..kpi import Measure, overlap


def _stays_by_place(w) -> dict[str, np.ndarray]:
    """Masks over the patients' admissions: the hospital's own beds (its ward, corridor and other wards) and
    other hospitals, medical and psychiatric (for the cost items and the DRG value)."""
    adm = w.patient_admissions
    psych = (adm.ward == "psychiatric_ward").to_numpy()
    away = (adm.place == OTHER_HOSPITAL).to_numpy()
    own = adm.place.isin((ON_WARD, OTHER_WARD)).to_numpy()
    return {"medical_own": own & ~psych, "psychiatric_own": own & psych,
            "medical_elsewhere": away & ~psych, "psychiatric_elsewhere": away & psych}


def _treated_days(where: str):
    """Bed days until ready for discharge of the stays at ``where`` (a key of :func:`_stays_by_place`)."""
    def compute(w) -> np.ndarray:
        mask = w.stays_by_place[where]
        treated = w.bed_days_each - w.delayed_days_each
        return w.total(w.patient_admissions.person_id[mask], treated[mask])
    return compute


def _psychiatric_in_window(w) -> np.ndarray:
    return (w.admissions_in_window.ward == "psychiatric_ward").to_numpy()


def _own_admissions(psychiatric: bool):
    def compute(w) -> np.ndarray:
        adm = w.admissions_in_window
        psych = _psychiatric_in_window(w)
        ward = psych if psychiatric else ~psych
        return w.count(adm.person_id[ward & ~(adm.place == OTHER_HOSPITAL).to_numpy()])
    return compute


def _readmissions(w) -> tuple[np.ndarray, np.ndarray]:
    """Index discharges (left in [t0, t1 - window]) and whether the next admission came within the window."""
    window = w.model.cfg.pathways.readmission_window_days
    a = w.patient_admissions.sort_values(["person_id", "arrival"])
    pid = a.person_id.to_numpy()
    same_next = np.r_[pid[1:] == pid[:-1], False]
    next_arrival = np.r_[a.arrival.to_numpy()[1:], np.inf]
    left = a.left.to_numpy()
    index = (left >= w.t0) & (left <= w.t1 - window)
    readmitted = index & same_next & (next_arrival - left <= window)
    return w.count(pid[index]), w.count(pid[readmitted])


def _ed_after_discharge(w, days: float = 3.0) -> np.ndarray:
    """ED visits (in the window) within ``days`` of the patient's latest hospital discharge before them."""
    ed, adm = w.ed_table, w.patient_admissions
    if ed.empty or adm.empty:
        return np.zeros(w.n)
    visits = ed[["person_id", "time"]].sort_values("time")
    discharges = adm[["person_id", "left"]].sort_values("left")
    last = pd.merge_asof(visits, discharges, left_on="time", right_on="left", by="person_id", direction="backward")
    soon = (last.time - last.left).to_numpy() <= days  # NaN (no discharge before) compares False
    return w.count(last.person_id.to_numpy()[soon])


def _outpatient_visits_table(w) -> pd.DataFrame:
    """Booked outpatient appointments in the window (phone contacts and outreach calls are not visits)."""
    op = w.outpatient_table
    return op[~op.kind.isin(("phone", "outreach"))]


def _new_referrals(w) -> tuple[np.ndarray, np.ndarray]:
    """New referrals in the window and their waits (aligned)."""
    op = w.outpatient_visits_table
    new = op[op.kind == "new_referral"]
    return new, (new.appointment - new.requested).to_numpy()


def _subacute(w) -> pd.DataFrame:
    op = w.outpatient_visits_table
    return op[op.attended & (op.kind == "subacute")]


def _home_nursing_days(w) -> np.ndarray:
    hn = w.rec.table("home_nursing")
    started = hn.started.to_numpy(dtype=float)
    # an episode ends early when the person dies or moves away (Municipality.stop_home_nursing)
    hn_end = np.minimum(started + hn.days.to_numpy(dtype=float), w.leave[hn.person_id.to_numpy()])
    return w.total(hn.person_id, overlap(started, hn_end, w.t0, w.t1))


def _fragmentation(w) -> tuple[np.ndarray, np.ndarray]:
    """Distinct actors per patient and results year, and changes of actor between consecutive contacts."""
    c = w.table_between("contacts").sort_values(["person_id", "time"], kind="stable")
    pid = c.person_id.to_numpy()
    actor = c.actor.to_numpy()
    changed = (pid[1:] == pid[:-1]) & (actor[1:] != actor[:-1])
    interfaces = w.count(pid[1:][changed])
    year = ((c.time.to_numpy() - w.t0) // 365.0).astype(np.int64)
    distinct = pd.DataFrame({"p": pid, "y": year, "a": actor}).drop_duplicates()
    return w.count(distinct.p.to_numpy()), interfaces


def _outpatient_kind(kind: str):
    return lambda w: w.count(w.outpatient_table.person_id[w.outpatient_table.kind == kind])


MEASURES: tuple[Measure, ...] = (
    Measure("stays_by_place", _stays_by_place),
    Measure("medical_bed_days", _treated_days("medical_own")),
    Measure("psychiatric_bed_days", _treated_days("psychiatric_own")),
    Measure("medical_bed_days_elsewhere", _treated_days("medical_elsewhere")),
    Measure("psychiatric_bed_days_elsewhere", _treated_days("psychiatric_elsewhere")),
    Measure("psychiatric_admissions", lambda w: w.count(w.admissions_in_window.person_id[_psychiatric_in_window(w)])),
    Measure("medical_admissions", lambda w: w.admissions - w.psychiatric_admissions),
    Measure("own_medical_admissions", _own_admissions(psychiatric=False)),
    Measure("own_psychiatric_admissions", _own_admissions(psychiatric=True)),
    Measure("readmissions", _readmissions),
    Measure("index_discharges", lambda w: w.readmissions[0]),
    Measure("readmitted", lambda w: w.readmissions[1]),
    Measure("ed_after_discharge", _ed_after_discharge),
    # outpatient
    Measure("outpatient_table", lambda w: w.table_between("outpatient", "appointment")),
    Measure("phone_contacts", _outpatient_kind("phone")),
    Measure("outreach_calls", _outpatient_kind("outreach")),
    Measure("outpatient_visits_table", _outpatient_visits_table),
    Measure("outpatient_visits", lambda w: w.count(w.outpatient_visits_table.person_id[w.outpatient_visits_table.attended])),
    Measure("outpatient_missed", lambda w: w.count(w.outpatient_visits_table.person_id[~w.outpatient_visits_table.attended])),
    Measure("control_visits", lambda w: w.count(w.outpatient_visits_table.person_id[
        w.outpatient_visits_table.attended & (w.outpatient_visits_table.kind == "control")])),
    Measure("subacute_table", _subacute),
    Measure("subacute_visits", lambda w: w.count(w.subacute_table.person_id)),
    Measure("subacute_wait_sum", lambda w: w.total(w.subacute_table.person_id, w.subacute_table.appointment - w.subacute_table.requested)),
    Measure("new_referrals", _new_referrals),
    Measure("new_ref_waits", lambda w: w.new_referrals[1]),
    Measure("new_ref_wait_sum", lambda w: w.total(w.new_referrals[0].person_id, w.new_ref_waits)),
    Measure("new_ref_n", lambda w: w.count(w.new_referrals[0].person_id)),
    Measure("new_ref_within", lambda w: w.count(w.new_referrals[0].person_id[w.new_ref_waits <= w.model.cfg.pathways.rtt_days])),
    # transitions
    Measure("handoffs_table", lambda w: w.table_between("handoffs")),
    Measure("handoffs", lambda w: w.count(w.handoffs_table.person_id)),
    Measure("failed_handoffs", lambda w: w.count(w.handoffs_table.person_id[w.handoffs_table.failed])),
    # home nursing and fragmentation
    Measure("home_nursing_days", _home_nursing_days),
    Measure("fragmentation", _fragmentation),
    Measure("actor_years", lambda w: w.fragmentation[0]),
    Measure("interfaces", lambda w: w.fragmentation[1]),
)

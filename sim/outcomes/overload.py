"""Outcomes of overload: where patients waited, where they were treated instead, and what it cost.

The KPIs here say which of the wards' and clinics' pressure rules happened, how often and at what cost
(``sim.agents.ward_pressure``, the extended free choice in ``sim.agents.outpatient_clinic``). Formulas read the
results window (``w``) or a patient group's measures (``g``) passed in at compute time.
"""

from __future__ import annotations

import numpy as np

from ..agents.patient import BOARDING, HOME, IN_BED, IN_ED, JOINED_OUTCOMES
from ..agents.ward_pressure import NOT_ADMITTED, OTHER_HOSPITAL, OTHER_WARD
from ..kpi import KPI, CostItem, Measure, overlap, ratio

# deteriorations that began while the patient waited: at home for a GP or clinic slot (they made the
# episode acute), or in the acute admission unit for a bed
WAITING = (JOINED_OUTCOMES[HOME], JOINED_OUTCOMES[BOARDING])
IN_HOSPITAL = (IN_ED, BOARDING, IN_BED)


def _waits_for_a_bed(w):
    """The patients' decisions to admit over the run, with or without a bed in the end."""
    adm = w.admissions_table
    return adm[adm.person_id >= 0]


def _boarding_days(w) -> np.ndarray:
    adm = _waits_for_a_bed(w)
    return w.total(adm.person_id, overlap(adm.arrival.to_numpy(), adm.admitted.to_numpy(), w.t0, w.t1))


def _placed(place: str):
    def compute(w) -> np.ndarray:
        adm = _waits_for_a_bed(w)
        in_window = adm[adm.admitted.between(w.t0, w.t1)]
        return w.count(in_window.person_id[in_window.place == place])
    return compute


def _deaths_in_care(w):
    return w.table_between("deaths_in_care")


def _controls(w):
    op = w.rec.table("outpatient")
    return op[(op.kind == "control") & op.appointment.between(w.t0, w.t1)]


def _elsewhere(w):
    return w.table_between("referrals_elsewhere", "seen")


def _share_placed(w, place: str) -> float:
    adm = w.admissions_all[~w.admissions_all.place.isin(NOT_ADMITTED)]
    return float((adm.place == place).sum() / len(adm)) if len(adm) else float("nan")


def _referrals_elsewhere_share(w) -> float:
    elsewhere, new_referrals_all = w.referrals_elsewhere_all, float(w.new_referrals_all)
    return float(elsewhere / (elsewhere + new_referrals_all)) if elsewhere + new_referrals_all > 0 else float("nan")


def _wards(w):
    return (w.model.medical_ward, w.model.psychiatric_ward)


MEASURES: tuple[Measure, ...] = (
    Measure("boarding_days", _boarding_days),
    Measure("other_ward", _placed(OTHER_WARD)),
    Measure("other_hospital", _placed(OTHER_HOSPITAL)),
    Measure("pressure_discharges", lambda w: w.count(w.table_between("pressure_discharges").person_id)),
    Measure("while_waiting", lambda w: w.count(w.deteriorations_table.person_id[w.deteriorations_table.outcome.isin(WAITING)])),
    Measure("while_boarding", lambda w: w.count(w.deteriorations_table.person_id[
        w.deteriorations_table.outcome == JOINED_OUTCOMES[BOARDING]])),
    Measure("deaths_in_hospital", lambda w: w.count(_deaths_in_care(w).person_id[_deaths_in_care(w).place.isin(IN_HOSPITAL)])),
    Measure("deaths_waiting", lambda w: w.count(_deaths_in_care(w).person_id[_deaths_in_care(w).place == BOARDING])),
    Measure("referrals_elsewhere", lambda w: w.count(_elsewhere(w).person_id)),
    Measure("referrals_elsewhere_all", lambda w: float(_elsewhere(w)["count"].sum())),
    Measure("control_delay_sum", lambda w: w.total(_controls(w).person_id, _controls(w).appointment - _controls(w).requested)),
    Measure("controls", lambda w: w.count(_controls(w).person_id)),
)

GROUP_KPIS: tuple[KPI, ...] = (
    KPI("boarding_days_per_1000py", "per 1,000 patient-years", "days waiting in the acute admission unit for a ward bed after the decision to admit (costed per day)", "group",
        lambda g: g.per_1000(g.w.boarding_days)),
    KPI("pressure_discharges_per_1000py", "per 1,000 patient-years", "stays a full ward ended early to make room for an acute patient", "group",
        lambda g: g.per_1000(g.w.pressure_discharges)),
    KPI("other_ward_admissions_per_1000py", "per 1,000 patient-years", "admissions placed on another ward of the hospital because the ward had no bed within the boarding limit", "group",
        lambda g: g.per_1000(g.w.other_ward)),
    KPI("other_hospital_admissions_per_1000py", "per 1,000 patient-years", "admissions placed at another hospital (paid by the region) because the hospital had no bed", "group",
        lambda g: g.per_1000(g.w.other_hospital)),
    KPI("bed_days_other_hospital_per_1000py", "per 1,000 patient-years", "bed days at other hospitals (included in bed_days_per_1000py)", "group",
        lambda g: g.per_1000(g.w.medical_bed_days_elsewhere + g.w.psychiatric_bed_days_elsewhere)),
    KPI("deteriorations_while_waiting_per_1000py", "per 1,000 patient-years", "deteriorations that began while the patient waited for care: at home for a GP or clinic slot (they make the episode acute) or in the acute admission unit for a bed", "group",
        lambda g: g.per_1000(g.w.while_waiting)),
    KPI("deaths_in_hospital", "persons", "deaths in the results window in the ED, waiting for a bed or in a hospital bed (anywhere)", "group",
        lambda g: float(g.sum(g.w.deaths_in_hospital))),
    KPI("deaths_waiting_for_bed", "persons", "deaths in the results window while waiting for a bed", "group",
        lambda g: float(g.sum(g.w.deaths_waiting))),
    KPI("adverse_events_per_1000py", "per 1,000 patient-years", "harm of waiting and of transitions: deteriorations that became acute before treatment, deteriorations while waiting for a bed, and failed handoffs (at discharges and transfers)", "group",
        lambda g: g.per_1000(g.w.late + g.w.while_boarding + g.w.failed_handoffs)),
    KPI("outpatient_referrals_elsewhere_per_1000py", "per 1,000 patient-years", "new referrals seen at another hospital or a private clinic because the clinic could not see them within the 30-day right (extended free choice, paid by the region)", "group",
        lambda g: g.per_1000(g.w.referrals_elsewhere)),
    KPI("control_delay_mean_days", "days", "mean days from a fixed control's due date to the appointment (attended or not): how far a full clinic pushes controls back", "group",
        lambda g: ratio(g.sum(g.w.control_delay_sum), g.sum(g.w.controls))),
)
SYSTEM_KPIS: tuple[KPI, ...] = (
    KPI("corridor_bed_days", "bed days", "bed days on corridor beds above the wards' normed beds (over-occupancy), all admissions, both wards", "system",
        lambda w: float(sum(ward.corridor.mean(w.t0, w.t1) for ward in _wards(w)) * (w.t1 - w.t0))),
    KPI("boarding_end_all", "persons", "people waiting for a ward bed at the end of the run, both wards", "system",
        lambda w: float(sum(ward.boarding.level for ward in _wards(w)))),
    KPI("pressure_discharges_all", "stays", "stays ended early under pressure in the results window, all admissions", "system",
        lambda w: float(w.rec.table("pressure_discharges").time.between(w.t0, w.t1).sum())),
    KPI("other_ward_admission_share_all", "share of admissions", "share of all admissions (including background) placed on another ward of the hospital", "system",
        lambda w: _share_placed(w, OTHER_WARD)),
    KPI("other_hospital_admission_share_all", "share of admissions", "share of all admissions (including background) placed at another hospital", "system",
        lambda w: _share_placed(w, OTHER_HOSPITAL)),
    KPI("outpatient_referrals_elsewhere_share_all", "share of new referrals", "share of all new referrals to the modelled clinics (including background) seen elsewhere under the 30-day right", "system",
        _referrals_elsewhere_share),
)
# waiting for a bed, and care bought elsewhere when there is no room
COST_ITEMS: tuple[CostItem, ...] = (
    CostItem("boarding_days", "days", "hospital", "ed_boarding_day", lambda w: w.boarding_days),
    CostItem("medical_bed_days_elsewhere", "bed days", "region", "bed_day", lambda w: w.medical_bed_days_elsewhere,
             "elsewhere_price_ratio"),
    CostItem("psychiatric_bed_days_elsewhere", "bed days", "region", "bed_day_psychiatric",
             lambda w: w.psychiatric_bed_days_elsewhere, "elsewhere_price_ratio"),
    CostItem("transfers_to_other_hospitals", "transfers", "region", "transfer", lambda w: w.other_hospital),
    CostItem("outpatient_visits_elsewhere", "visits", "region", "outpatient_visit", lambda w: w.referrals_elsewhere,
             "elsewhere_price_ratio"),
)

"""What the acute alternatives scenario produces (sim/scenarios/acute_alternatives.py): municipal acute beds
and the discharging ward's extended responsibility. Measures, KPIs and cost items of the mechanism; formulas
read the results window (``w``) or a patient group's measures (``g``) passed in at compute time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kpi import KPI, CostItem, Measure, overlap, ratio
from ..recorder import typed_frame


def municipal_acute_stays_table(model) -> pd.DataFrame:
    """Completed municipal acute stays plus those still in progress (ending now)."""
    done = model.recorder.table("municipal_acute_stays")
    open_rows = [row for unit in model.acute_alternatives.units for row in unit.open_stay_rows(model.env.now)]
    if not open_rows:
        return done
    return pd.concat([done, typed_frame("municipal_acute_stays", open_rows)], ignore_index=True)


def _acute_care_returns(w) -> tuple[np.ndarray, np.ndarray]:
    """Index discharges (from hospital, or from a municipal acute bed to home) that ended in [t0, t1 - window],
    and whether an acute admission or a municipal acute stay started within ``window`` after them.
    In usual care this equals the 30-day readmission count."""
    window = w.model.cfg.pathways.readmission_window_days
    adm, stays = w.patient_admissions, w.municipal_stays_table
    home = stays[~stays.transferred]
    ends = pd.DataFrame({"person_id": np.r_[adm.person_id.to_numpy(), home.person_id.to_numpy()],
                         "end": np.r_[adm.left.to_numpy(), home.end.to_numpy()]})
    ends = ends[(ends.end >= w.t0) & (ends.end <= w.t1 - window)].sort_values("end")
    starts = pd.DataFrame({"person_id": np.r_[adm.person_id.to_numpy(), stays.person_id.to_numpy()],
                           "start": np.r_[adm.arrival.to_numpy(), stays.start.to_numpy()]}).sort_values("start")
    if ends.empty:
        return np.zeros(w.n), np.zeros(w.n)
    nxt = pd.merge_asof(ends, starts, left_on="end", right_on="start", by="person_id", direction="forward",
                        allow_exact_matches=False)
    returned = (nxt.start - nxt.end).to_numpy() <= window  # NaN (nothing after) compares False
    pid = nxt.person_id.to_numpy()
    return w.count(pid), w.count(pid[returned])


def _started(w) -> pd.DataFrame:
    stays = w.municipal_stays_table
    return stays[stays.start.between(w.t0, w.t1)]


def _stay_days(w, stays: pd.DataFrame) -> np.ndarray:
    return w.total(stays.person_id, overlap(stays.start.to_numpy(), stays.end.to_numpy(), w.t0, w.t1))


def _turned_away(w) -> np.ndarray:
    referrals = w.table_between("municipal_acute_referrals")
    return w.count(referrals.person_id[~referrals.accepted])


def _vacant_bed_costs(w) -> tuple[float, float, list[np.ndarray]]:
    """Staffed municipal acute beds cost something empty too: each unit's vacant bed days in the window,
    allocated to the unit's patients by their bed days (a unit nobody used: to its municipality's patients).
    Returns the cost, the part nobody could carry, and each unit's per-patient shares (in unit order)."""
    model, stays = w.model, w.municipal_stays_table
    vacant_cost = unallocated = 0.0
    shares: list[np.ndarray] = []
    costs = model.cfg.costs
    if model.cfg.capacity.unlimited_capacity:  # unbounded beds (a verification switch) have no staffing
        return vacant_cost, unallocated, shares
    span = w.t1 - w.t0
    for unit in model.acute_alternatives.units:
        vacant_days = max(0.0, unit.beds_count * span - unit.occupied.mean(w.t0, w.t1) * span)
        cost = vacant_days * costs.municipal_acute_bed_day * costs.municipal_acute_vacant_bed_day_share
        vacant_cost += cost
        days = _stay_days(w, stays[stays.municipality == unit.municipality.index])
        if days.sum() == 0:  # a unit nobody used: its municipality's patients, by their time in the window
            days = w.exposure_days * (model.population.municipality == unit.municipality.index)
        if days.sum() > 0:
            shares.append(cost * days / days.sum())
        else:
            unallocated += cost
    return vacant_cost, unallocated, shares


def _enquiries(w) -> pd.DataFrame:
    return w.table_between("ward_enquiries")


MEASURES: tuple[Measure, ...] = (
    Measure("municipal_stays_table", lambda w: municipal_acute_stays_table(w.model)),
    Measure("acute_care_returns", _acute_care_returns),
    Measure("municipal_stays", lambda w: w.count(_started(w).person_id)),
    Measure("municipal_transfers", lambda w: w.count(_started(w).person_id[_started(w).transferred])),
    Measure("municipal_bed_days", lambda w: _stay_days(w, w.municipal_stays_table)),
    Measure("municipal_turned_away", _turned_away),
    Measure("ward_enquiries", lambda w: w.count(_enquiries(w).person_id)),
    Measure("direct_admissions", lambda w: w.count(_enquiries(w).person_id[_enquiries(w).outcome == "admitted_directly"])),
    Measure("municipal_vacant", _vacant_bed_costs),
    Measure("municipal_vacant_cost", lambda w: w.municipal_vacant[0]),
    Measure("municipal_vacant_unallocated", lambda w: w.municipal_vacant[1]),
)

RETURN_KPIS: tuple[KPI, ...] = (
    KPI("acute_care_return_rate_30d", "share of discharges", "share of discharges from hospital or from a municipal acute bed (to home) followed within 30 days by an acute admission or a municipal acute stay; a municipal stay is not a hospital admission, so readmission_rate_30d does not count it", "group",
        lambda g: ratio(g.sum(g.w.acute_care_returns[1]), g.sum(g.w.acute_care_returns[0]))),
)
GROUP_KPIS: tuple[KPI, ...] = (
    KPI("municipal_acute_stays_per_1000py", "per 1,000 patient-years", "stays in a municipal acute bed instead of the ED (started in the window)", "group",
        lambda g: g.per_1000(g.w.municipal_stays)),
    KPI("municipal_acute_bed_days_per_1000py", "per 1,000 patient-years", "occupied municipal acute bed days", "group",
        lambda g: g.per_1000(g.w.municipal_bed_days)),
    KPI("municipal_acute_transfers_per_1000py", "per 1,000 patient-years", "municipal acute stays transferred on to hospital (via the ED)", "group",
        lambda g: g.per_1000(g.w.municipal_transfers)),
    KPI("municipal_acute_transfer_share", "share of stays", "share of municipal acute stays transferred on to hospital", "group",
        lambda g: ratio(g.sum(g.w.municipal_transfers), g.sum(g.w.municipal_stays))),
    KPI("municipal_acute_turned_away_per_1000py", "per 1,000 patient-years", "patients sent to a municipal acute bed who went to the ED because every bed was taken", "group",
        lambda g: g.per_1000(g.w.municipal_turned_away)),
    KPI("ward_enquiries_per_1000py", "per 1,000 patient-years", "enquiries the discharging ward handled within its window (advice, direct admission, a failing handoff caught); each is a hospital phone contact", "group",
        lambda g: g.per_1000(g.w.ward_enquiries)),
    KPI("direct_ward_admissions_per_1000py", "per 1,000 patient-years", "acute admissions by the discharging ward without an ED visit", "group",
        lambda g: g.per_1000(g.w.direct_admissions)),
)
SYSTEM_KPIS: tuple[KPI, ...] = (
    KPI("municipal_acute_vacant_bed_cost_dkk", "DKK", "cost of staffed municipal acute beds standing empty in the results window; included in cost_municipality_dkk, allocated to the beds' patients by bed days (a unit nobody used: to its municipality's patients by their days in the window)", "system",
        lambda w: float(w.municipal_vacant_cost)),
    KPI("municipal_acute_bed_utilisation", "share of beds", "time-averaged share of municipal acute beds in use (NaN without such beds)", "system",
        lambda w: ratio(sum(u.occupied.mean(w.t0, w.t1) for u in w.model.acute_alternatives.units),
                        sum(u.beds_count for u in w.model.acute_alternatives.units))),
)
# occupied municipal acute bed days; the discharging ward's enquiries, each priced as a hospital phone contact
# (ward staff time, the same unit cost as a clinic's phone contact)
COST_ITEMS: tuple[CostItem, ...] = (
    CostItem("municipal_acute_bed_days", "bed days", "municipality", "municipal_acute_bed_day", lambda w: w.municipal_bed_days),
    CostItem("ward_enquiries", "enquiries", "hospital", "outpatient_phone_contact", lambda w: w.ward_enquiries),
)

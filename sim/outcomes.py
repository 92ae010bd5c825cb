"""Outcomes: a stable KPI schema and its computation from a finished model's records.

Every KPI is listed in :data:`KPI_SCHEMA` with unit and meaning; ``docs/outcomes.md`` is generated
from it and a test fails if a run produces a KPI outside the schema or misses one. Patient KPIs are
computed for the modelled chronic patients over the results window (after warm-up), overall
(``group == "all"``) and per risk tier at entry (``tier=high|moderate|low``) and condition
(``condition=copd|...``; a multimorbid patient counts in each of their conditions). System KPIs
(occupancy, utilisation, the GP referral fraction, waits including background demand) are overall only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .capacity_calendar import CAPACITY_OWNERS, capacity_cost, change_cost, level_integral
from .config import CONDITIONS
from . import payment
from .agents.outpatient_clinic import CONTROL, SUBACUTE
from .costs import COST_ITEMS, PAYERS, patient_costs, top_share
from .kpi import KPI, overlap
from . import overload_outcomes
from .agents.ward_pressure import NOT_ADMITTED
from .population import TIERS
from .recorder import typed_frame

if TYPE_CHECKING:
    from .model import CareModel


KPI_SCHEMA: tuple[KPI, ...] = (
    # exposure
    KPI("patients", "persons", "chronic patients present at some time in the results window", "group"),
    KPI("patient_years", "patient-years", "time chronic patients spent in the catchment during the results window", "group"),
    KPI("deaths", "persons", "deaths in the results window", "group"),
    # disease course and detection
    KPI("deteriorations_per_1000py", "per 1,000 patient-years", "deteriorations (exacerbations) of chronic disease", "group"),
    KPI("missed_deteriorations_per_1000py", "per 1,000 patient-years", "moderate deteriorations with no care contact (the patient did not seek care)", "group"),
    KPI("late_detected_deteriorations_per_1000py", "per 1,000 patient-years", "moderate deteriorations that became acute before treatment (unattended, before contact, or while waiting for a GP slot)", "group"),
    KPI("detections_per_1000py", "per 1,000 patient-years", "unstable phases caught and treated by a clinician (GP, outpatient control, admission)", "group"),
    # general practice
    KPI("gp_contacts_per_1000py", "per 1,000 patient-years", "GP consultations of chronic patients (deteriorations and planned checks)", "group"),
    KPI("gp_wait_mean_days", "days", "mean wait from calling about a deterioration to the GP consultation", "group"),
    KPI("gp_referral_fraction", "share of GP contacts", "share of all GP contacts (chronic and background) referred on to the hospital", "system"),
    # acute hospital use
    KPI("ed_visits_per_1000py", "per 1,000 patient-years", "emergency-department visits", "group"),
    KPI("acute_admissions_per_1000py", "per 1,000 patient-years", "acute admissions (medical and psychiatric)", "group"),
    KPI("bed_days_per_1000py", "per 1,000 patient-years", "bed days, including days waiting for discharge", "group"),
    KPI("delayed_discharge_days_per_1000py", "per 1,000 patient-years", "bed days after the patient was ready for discharge, waiting for a home-nursing place", "group"),
    KPI("readmissions_30d", "admissions", "acute readmissions within 30 days of a discharge (index discharges with full follow-up in the window)", "group"),
    KPI("readmission_rate_30d", "share of discharges", "share of discharges followed by an acute readmission within 30 days", "group"),
    KPI("boarding_wait_mean_hours", "hours", "mean wait for a ward bed after the decision to admit (chronic patients)", "group"),
    KPI("boarding_wait_mean_hours_all", "hours", "mean wait for a ward bed after the decision to admit, everyone including background (a wait that ended without a bed, by death or at the end of the run, counts with its length so far)", "system"),
    KPI("ed_visits_within_72h_of_discharge_per_1000py", "per 1,000 patient-years", "ED visits within 72 hours of a hospital discharge (the window of extended treatment responsibility, Slides l.140-142)", "group"),
    KPI("acute_care_return_rate_30d", "share of discharges", "share of discharges from hospital or from a municipal acute bed (to home) followed within 30 days by an acute admission or a municipal acute stay; a municipal stay is not a hospital admission, so readmission_rate_30d does not count it", "group"),
    # scenario acute alternatives: municipal acute beds, the discharging ward's extended responsibility
    KPI("municipal_acute_stays_per_1000py", "per 1,000 patient-years", "stays in a municipal acute bed instead of the ED (started in the window)", "group"),
    KPI("municipal_acute_bed_days_per_1000py", "per 1,000 patient-years", "occupied municipal acute bed days", "group"),
    KPI("municipal_acute_transfers_per_1000py", "per 1,000 patient-years", "municipal acute stays transferred on to hospital (via the ED)", "group"),
    KPI("municipal_acute_transfer_share", "share of stays", "share of municipal acute stays transferred on to hospital", "group"),
    KPI("municipal_acute_turned_away_per_1000py", "per 1,000 patient-years", "patients sent to a municipal acute bed who went to the ED because every bed was taken", "group"),
    KPI("ward_enquiries_per_1000py", "per 1,000 patient-years", "enquiries the discharging ward handled within its window (advice, direct admission, a failing handoff caught); each is a hospital phone contact", "group"),
    KPI("direct_ward_admissions_per_1000py", "per 1,000 patient-years", "acute admissions by the discharging ward without an ED visit", "group"),
    # outpatient
    KPI("outpatient_visits_per_1000py", "per 1,000 patient-years", "attended outpatient visits (controls and new referrals)", "group"),
    KPI("control_visits_per_1000py", "per 1,000 patient-years", "attended fixed-interval outpatient controls", "group"),
    KPI("subacute_visits_per_1000py", "per 1,000 patient-years", "attended sub-acute visits the patient's call or a positive PRO score asked for", "group"),
    KPI("subacute_wait_mean_days", "days", "mean wait from the patient's call (or the flagged questionnaire) to the sub-acute visit", "group"),
    KPI("outpatient_phone_contacts_per_1000py", "per 1,000 patient-years", "patient-initiated contacts settled by phone or portal", "group"),
    KPI("outreach_calls_per_1000py", "per 1,000 patient-years", "calls the clinic made to patients off fixed controls it had not heard from (outreach to silent patients)", "group"),
    KPI("pro_questionnaires_per_1000py", "per 1,000 patient-years", "PRO questionnaires returned and scored", "group"),
    KPI("pro_missed_unstable_per_1000py", "per 1,000 patient-years", "PRO questionnaires returned during an unstable phase that the algorithm did not flag (false negatives)", "group"),
    KPI("pro_false_alarms_per_1000py", "per 1,000 patient-years", "PRO questionnaires of stable patients that the algorithm flagged (a visit that finds nothing)", "group"),
    KPI("missed_outpatient_appointments_per_1000py", "per 1,000 patient-years", "booked outpatient appointments not attended (no-show or during an episode)", "group"),
    KPI("outpatient_new_referral_wait_mean_days", "days", "mean wait from GP referral to the first outpatient appointment (chronic patients)", "group"),
    KPI("rtt_compliance", "share of new referrals", "share of chronic patients' new referrals seen within the 30-day right (Region H 2018 l.1447-1448)", "group"),
    KPI("outpatient_new_referral_wait_mean_days_all", "days", "mean wait of all new referrals to the modelled clinics, including background", "system"),
    KPI("structural_fixes", "fixes", "interface types management fixed structurally after coordinators reported system-level problems, in the results window (specialisation mechanism's slow loop)", "system"),
    KPI("rtt_compliance_all", "share of new referrals", "share of all new referrals to the modelled clinics seen within 30 days", "system"),
    KPI("outpatient_new_referral_wait_p95_days_all", "days", "95th percentile of the wait of all new referrals to the modelled clinics, including background (the tail a binary 30-day KPI ignores, Region H 2018 l.1455)", "system"),
    KPI("outpatient_new_referral_wait_max_days_all", "days", "longest wait of a new referral to the modelled clinics, including background", "system"),
    KPI("rtt_overshoot_mean_days_all", "days", "mean days beyond the 30-day right among all new referrals seen after it, 0 when none is (the overshoot the compliance share does not count, Region H 2018 l.1454-1455)", "system"),
    KPI("outpatient_waiting_list_end_all", "referrals", "new referrals still on a clinic's waiting list without a slot at the end of the run (only under a waiting-list slot allocation policy; not in the wait KPIs above)", "system"),
    KPI("outpatient_waiting_list_end_oldest_days_all", "days", "the longest wait so far of a new referral still on a waiting list at the end of the run (0 when nobody waits)", "system"),
    # transitions and fragmentation
    KPI("handoffs_per_1000py", "per 1,000 patient-years", "discharge handoffs (to the GP and to municipal home nursing)", "group"),
    KPI("failed_handoffs_per_1000py", "per 1,000 patient-years", "discharge handoffs that failed (lost information, missing follow-up)", "group"),
    KPI("failed_handoff_share", "share of handoffs", "share of discharge handoffs that failed", "group"),
    KPI("actors_per_patient_year", "actors", "distinct care actors (practice, ED, wards, clinics, municipality) a patient dealt with per year", "group"),
    KPI("interfaces_per_patient_year", "transitions per patient-year", "changes from one care actor to another between consecutive contacts", "group"),
    # what a patient leaves hospital with (the specialisation dilemma, sim/scenarios/specialisation.py)
    KPI("adverse_transition_share", "share of discharges", "discharges home after which the patient left with an untreated unstable phase, a failed handoff or a failed coordinator link", "group"),
    KPI("untreated_at_discharge_share", "share of discharges", "discharges home with the unstable phase that led to the admission still untreated (inpatient quality)", "group"),
    KPI("handoffs_per_discharge", "handoffs per discharge", "handoffs a discharge needs: to the GP, to home nursing and to the specialised hospital units above the reference level", "group"),
    KPI("coordinators_per_discharge", "coordinators per discharge", "coordinating teams (coordinators, complex-care team) the patient had at a discharge", "group"),
    KPI("coordinator_interfaces_per_discharge", "links per discharge", "patient-coordinator links plus links among the patient's coordinators (M-1 in a chain, M(M-1)/2 when all must align) at a discharge", "group"),
    KPI("failed_coordinator_link_share", "share of coordinator links", "share of patient-coordinator and coordinator-coordinator links that failed at discharges (only with the specialisation mechanism on)", "group"),
    # costs
    *(KPI(f"cost_{payer}_dkk", "DKK", f"cost borne by {payer.replace('_', ' ')} for chronic patients in the results window", "group") for payer in PAYERS),
    KPI("cost_total_dkk", "DKK", "total cost of chronic patients' care in the results window", "group"),
    KPI("cost_per_patient_year_dkk", "DKK per patient-year", "total cost per patient-year", "group"),
    KPI("needs_based_followups_end", "patient-conditions", "patients (per condition) on needs-based follow-up at the end of the run", "system"),
    KPI("pro_followups_end", "patient-conditions", "patients (per condition) on PRO-triggered follow-up at the end of the run", "system"),
    KPI("cost_share_top_4pct", "share of cost", "share of chronic patients' cost in the first results year used by the costliest 4% (VIVE 2018 l.2116-2117 reports 50% for the whole population)", "system"),
    KPI("high_cost_persistence", "share of patients", "share of the costliest 4% in the first results year still in the costliest 4% the next year (SST 2013 l.1191-1192: about 15% for Stockholm's top 1%)", "system"),
    KPI("cost_new_functions_dkk", "DKK", "cost of the functions the scenario adds (coordinators, teams) in the results window; included in the payers' costs above, allocated to patients by days in the caseload", "system"),
    # teams a scenario adds (group "team=<name>")
    KPI("team_places", "places", "caseload places (staff x caseload per staff member)", "team"),
    KPI("team_caseload_mean", "patients", "time-averaged number of open cases", "team"),
    KPI("team_utilisation", "share of places", "time-averaged share of places in use", "team"),
    KPI("team_waiting_list_mean", "patients", "time-averaged number of referred patients waiting for a place", "team"),
    KPI("team_intake_wait_mean_days", "days", "mean wait from referral to the start of the case, cases started in the window", "team"),
    KPI("team_cases_started", "cases", "cases started in the results window", "team"),
    KPI("team_cost_dkk", "DKK", "cost of the function in the results window", "team"),
    KPI("crises_handled_at_home_per_1000py", "per 1,000 patient-years", "acute crises the team's hotline or home visit handled without the ED", "group"),
    # capacity
    KPI("medical_bed_occupancy", "beds in use per normed bed", "time-averaged medical beds in use per normed bed (above 1 when corridor beds are in use)", "system"),
    KPI("psychiatric_bed_occupancy", "beds in use per normed bed", "time-averaged psychiatric beds in use per normed bed (above 1 when corridor beds are in use)", "system"),
    KPI("gp_utilisation", "share of slots", "booked share of GP appointment capacity", "system"),
    KPI("outpatient_utilisation", "share of slots", "booked share of outpatient appointment capacity", "system"),
    KPI("home_nursing_utilisation", "share of places", "time-averaged share of post-discharge home-nursing places in use", "system"),
    KPI("gp_planned_utilisation", "share of slots", "booked share of planned GP appointment capacity (where checks and moved controls go)", "system"),
    # capacity cost and capacity moves (sim/capacity_calendar.py)
    *(KPI(f"capacity_cost_{owner}_dkk", "DKK", f"capacity cost of {label} over the results window, paid whether the capacity is used or not", "system")
      for owner, label in (("wards", "the wards (beds)"), ("clinics", "the outpatient clinics (ordinary and sub-acute slots)"),
                           ("general_practice", "general practice (same-day and planned slots)"),
                           ("municipality", "the municipalities (home-nursing places)"))),
    KPI("capacity_cost_total_dkk", "DKK", "capacity cost of all owners over the results window; a budget-neutral capacity move leaves it unchanged", "system"),
    KPI("closure_discharges", "stays", "stays ended early in the results window because ward beds closed (capacity calendar)", "system"),
    KPI("control_transfers", "patient-conditions", "hospital controls handed over to general practice in the results window (capacity move)", "system"),
    KPI("control_transfers_failed", "patient-conditions", "handed-over controls whose GP follow-up was lost or delayed (transfer friction)", "system"),
    # one group "move=<name>" per capacity move (an entry of the calendar that is not funded by another)
    KPI("move_day", "day from the start of the results window", "day the move takes effect", "move"),
    KPI("move_budget_neutral", "1 = yes, 0 = no", "whether the capacity the move adds costs exactly what it frees (from the same day)", "move"),
    KPI("move_capacity_cost_freed_dkk", "DKK", "capacity cost the move removes over the results window", "move"),
    KPI("move_capacity_cost_added_dkk", "DKK", "capacity cost the move adds over the results window", "move"),
    KPI("move_capacity_cost_net_dkk", "DKK", "net change of capacity cost over the results window (0 when budget-neutral)", "move"),
    KPI("move_source_utilisation", "use per unit of planned capacity", "utilisation of the resource the move changes first, from the move's day (or the window start) to the window end (beds: above 1 when corridor beds are in use)", "move"),
    KPI("move_target_utilisation", "use per unit of planned capacity", "utilisation of the resources the move funds over the same span (NaN without receivers; beds: above 1 when corridor beds are in use)", "move"),
    KPI("move_target_released_share", "share of capacity", "share of the receiving sub-acute slots released unused to the ordinary book the day before (NaN unless sub-acute slots receive)", "move"),
    # payment and steering (sim/payment.py; config group `payment`)
    KPI("drg_value_dkk", "DKK", "DRG/DAGS tariff value of the hospital activity (admissions, bed days until ready for discharge, ED, outpatient visits, phone contacts), whatever the payment model (Region H 2018 l.1408-1415: activity stays monitored)", "group"),
    KPI("hospital_revenue_dkk", "DKK", "what the region pays the hospital: tariff_share x DRG value + (1 - tariff_share) x the budget frame (frame per patient-year x patient-years)", "group"),
    KPI("hospital_result_dkk", "DKK", "hospital revenue minus the hospital's cost (cost_hospital_dkk)", "group"),
    KPI("general_practice_revenue_dkk", "DKK", "consultation fees the region pays general practice", "group"),
    KPI("municipal_cofinancing_dkk", "DKK", "municipal co-financing paid to the region: a share of the DRG value (an accounting transfer, Slides l.75-85)", "group"),
    *(KPI(f"net_spending_{payer}_dkk", "DKK",
          f"net spending of {payer.replace('_', ' ')} (what it pays minus what it earns; the four payers add up to cost_total_dkk)"
          + ("; 0 when general practice's only cost is its consultations: their fee is their unit cost (costs.gp_consultation)"
             if payer == "general_practice" else ""), "group")
      for payer in payment.NET_SPENDING_PAYERS),
    KPI("reserve_slots_planned", "slots", "sub-acute reserve slots the clinics planned for the window (before unused ones are released the day before); 0 without a reserve", "system"),
    KPI("reserve_slots_booked_by_controls", "slots", "reserve slots in the window booked by fixed controls (the clinic fills them because an empty slot earns no tariff under DRG, Region H 2018 l.1536-1541)", "system"),
    KPI("reserve_slots_booked_by_subacute", "slots", "reserve slots in the window booked by patient-initiated (sub-acute) contacts", "system"),
    KPI("municipal_acute_vacant_bed_cost_dkk", "DKK", "cost of staffed municipal acute beds standing empty in the results window; included in cost_municipality_dkk, allocated to the beds' patients by bed days (a unit nobody used: to its municipality's patients by their days in the window)", "system"),
    KPI("municipal_acute_bed_utilisation", "share of beds", "time-averaged share of municipal acute beds in use (NaN without such beds)", "system"),
    # overload: where patients waited and were treated instead (sim/agents/ward_pressure.py), growing queues
    *overload_outcomes.GROUP_KPIS, *overload_outcomes.SYSTEM_KPIS, *overload_outcomes.QUEUE_KPIS,
)
KPI_BY_NAME = {k.name: k for k in KPI_SCHEMA}
LATE = ("escalated_unattended", "escalated_before_contact", "escalated_waiting_for_gp", "escalated_waiting_for_clinic")
MISSED = ("resolved_unattended", "escalated_unattended")


def patient_groups(model: CareModel) -> dict[str, np.ndarray]:
    """Boolean masks over ``model.population`` rows for each patient group."""
    pop = model.population
    groups = {"all": np.ones(len(pop), bool)}
    for t, name in enumerate(TIERS):
        groups[f"tier={name}"] = pop.tier == t
    for c, name in enumerate(CONDITIONS):
        groups[f"condition={name}"] = pop.conditions[:, c]
    groups["vulnerable=yes"] = pop.vulnerable
    groups["vulnerable=no"] = ~pop.vulnerable
    # multimorbidity: the specialisation dilemma's optimum moves with the number of conditions
    n_conditions = pop.conditions.sum(axis=1)
    groups["conditions=1"] = n_conditions == 1
    groups["conditions=2"] = n_conditions == 2
    groups["conditions=3+"] = n_conditions >= 3
    return groups


_overlap = overlap


def admissions_table(model: CareModel) -> pd.DataFrame:
    """Completed stays plus those still in progress (ending now), so no bed day is lost at the end of a run."""
    done = model.recorder.table("admissions")
    now = model.env.now
    open_rows = [row for ward in (model.medical_ward, model.psychiatric_ward) for row in ward.open_stay_rows(now)]
    if not open_rows:
        return done
    return pd.concat([done, typed_frame("admissions", open_rows)], ignore_index=True)


def municipal_acute_stays_table(model: CareModel) -> pd.DataFrame:
    """Completed municipal acute stays plus those still in progress (ending now)."""
    done = model.recorder.table("municipal_acute_stays")
    open_rows = [row for unit in model.acute_alternatives.units for row in unit.open_stay_rows(model.env.now)]
    if not open_rows:
        return done
    return pd.concat([done, typed_frame("municipal_acute_stays", open_rows)], ignore_index=True)


def team_cases_table(model: CareModel) -> pd.DataFrame:
    """Closed cases plus those still open (ending now)."""
    done = model.recorder.table("team_cases")
    open_rows = [row for team in model.teams for row in team.open_case_rows(model.env.now)]
    if not open_rows:
        return done
    return pd.concat([done, typed_frame("team_cases", open_rows)], ignore_index=True)


class _Window:
    """Per-patient activity in the results window, as arrays indexed by person id."""

    def __init__(self, model: CareModel, t0: float | None = None, t1: float | None = None):
        rec = model.recorder
        self.n = n = len(model.population)
        self.t0 = t0 = model.results_start if t0 is None else t0
        self.t1 = t1 = model.end_time if t1 is None else t1
        entries = rec.table("entries")
        exits = rec.table("exits")
        entry = np.full(n, np.inf)
        entry[entries.person_id.to_numpy()] = entries.time.to_numpy()
        leave = np.full(n, t1)
        leave[exits.person_id.to_numpy()] = exits.time.to_numpy()
        self.exposure_days = _overlap(entry, leave, t0, t1)
        self.present = self.exposure_days > 0
        self.deaths = np.bincount(exits.person_id[(exits.reason == "death") & exits.time.between(t0, t1)], minlength=n)

        det = rec.table("deteriorations")
        det = det[det.time.between(t0, t1)]
        self.deteriorations_table = det
        self.deteriorations = self.count(det.person_id)
        self.missed = self.count(det.person_id[det.outcome.isin(MISSED)])
        self.late = self.count(det.person_id[det.outcome.isin(LATE)])
        detections = rec.table("detections")
        self.detections = self.count(detections.person_id[detections.time.between(t0, t1)])

        gp = rec.table("gp_contacts")
        gp = gp[gp.seen.between(t0, t1)]
        self.gp_contacts = self.count(gp.person_id)
        gp_det = gp[gp.kind == "deterioration"]
        self.gp_wait_sum = self.total(gp_det.person_id, gp_det.seen - gp_det.requested)
        self.gp_wait_n = self.count(gp_det.person_id)
        self.gp_chronic_contacts = len(gp)
        self.gp_chronic_referred = int(gp.referred.sum())

        ed = rec.table("ed_visits")
        ed = ed[ed.time.between(t0, t1)]
        self.ed_visits = self.count(ed.person_id)

        adm_all = admissions_table(model)
        self.admissions_table = adm_all
        self.admissions_all = adm_all[adm_all.admitted.between(t0, t1)]
        patients_adm = adm_all[adm_all.person_id >= 0]
        adm = patients_adm[~patients_adm.place.isin(NOT_ADMITTED)]  # a wait that ended without a bed is no admission
        in_window = adm[adm.admitted.between(t0, t1)]
        self.admissions = self.count(in_window.person_id)
        psych_window = (in_window.ward == "psychiatric_ward").to_numpy()
        self.psychiatric_admissions = self.count(in_window.person_id[psych_window])
        self.medical_admissions = self.admissions - self.psychiatric_admissions
        self.boarding_sum = self.total(in_window.person_id, (in_window.admitted - in_window.arrival) * 24.0)
        bed_days = _overlap(adm.admitted.to_numpy(), adm.left.to_numpy(), t0, t1)
        delayed = _overlap(adm.ready.to_numpy(), adm.left.to_numpy(), t0, t1)
        self.bed_days = self.total(adm.person_id, bed_days)
        self.delayed_days = self.total(adm.person_id, delayed)
        # bed days until ready, in the hospital's own beds (for its cost and DRG value) and at other hospitals
        where = overload_outcomes.split_bed_days(adm)
        treated = bed_days - delayed
        self.medical_bed_days = self.total(adm.person_id[where["medical_own"]], treated[where["medical_own"]])
        self.psychiatric_bed_days = self.total(adm.person_id[where["psychiatric_own"]], treated[where["psychiatric_own"]])
        self.medical_bed_days_elsewhere = self.total(adm.person_id[where["medical_elsewhere"]], treated[where["medical_elsewhere"]])
        self.psychiatric_bed_days_elsewhere = self.total(adm.person_id[where["psychiatric_elsewhere"]],
                                                         treated[where["psychiatric_elsewhere"]])
        elsewhere_window = in_window.place == overload_outcomes.OTHER_HOSPITAL
        self.own_medical_admissions = self.count(in_window.person_id[~psych_window & ~elsewhere_window.to_numpy()])
        self.own_psychiatric_admissions = self.count(in_window.person_id[psych_window & ~elsewhere_window.to_numpy()])
        self.index_discharges, self.readmitted = self._readmissions(adm, model.cfg.pathways.readmission_window_days)
        self.ed_after_discharge = self._ed_visits_after_discharge(ed, adm, 3.0)

        # scenario acute alternatives (all zero in usual care)
        stays = municipal_acute_stays_table(model)
        started = stays[stays.start.between(t0, t1)]
        self.municipal_stays = self.count(started.person_id)
        self.municipal_transfers = self.count(started.person_id[started.transferred])
        self.municipal_bed_days = self.total(stays.person_id, _overlap(stays.start.to_numpy(), stays.end.to_numpy(), t0, t1))
        referrals = rec.table("municipal_acute_referrals")
        referrals = referrals[referrals.time.between(t0, t1)]
        self.municipal_turned_away = self.count(referrals.person_id[~referrals.accepted])
        enquiries = rec.table("ward_enquiries")
        enquiries = enquiries[enquiries.time.between(t0, t1)]
        self.ward_enquiries = self.count(enquiries.person_id)
        self.direct_admissions = self.count(enquiries.person_id[enquiries.outcome == "admitted_directly"])
        self.care_index, self.care_returned = self._acute_care_returns(adm, stays, model.cfg.pathways.readmission_window_days)

        op = rec.table("outpatient")
        op = op[op.appointment.between(t0, t1)]
        phone = op.kind == "phone"
        outreach = op.kind == "outreach"
        self.phone_contacts = self.count(op.person_id[phone])
        self.outreach_calls = self.count(op.person_id[outreach])
        op = op[~(phone | outreach)]
        self.outpatient_visits = self.count(op.person_id[op.attended])
        self.outpatient_missed = self.count(op.person_id[~op.attended])
        self.control_visits = self.count(op.person_id[op.attended & (op.kind == "control")])
        sub = op[op.attended & (op.kind == "subacute")]
        self.subacute_visits = self.count(sub.person_id)
        self.subacute_wait_sum = self.total(sub.person_id, sub.appointment - sub.requested)
        new = op[op.kind == "new_referral"]
        wait = (new.appointment - new.requested).to_numpy()
        self.new_ref_wait_sum = self.total(new.person_id, wait)
        self.new_ref_waits = wait
        self.new_ref_n = self.count(new.person_id)
        self.new_ref_within = self.count(new.person_id[wait <= model.cfg.pathways.rtt_days])

        pro = rec.table("pro_questionnaires")
        pro = pro[pro.time.between(t0, t1) & pro.answered]
        self.pro_questionnaires = self.count(pro.person_id)
        self.pro_missed_unstable = self.count(pro.person_id[pro.unstable & ~pro.flagged])
        self.pro_false_alarms = self.count(pro.person_id[~pro.unstable & pro.flagged])

        hand = rec.table("handoffs")
        hand = hand[hand.time.between(t0, t1)]
        self.handoffs = self.count(hand.person_id)
        self.failed_handoffs = self.count(hand.person_id[hand.failed])
        trans = rec.table("transitions")
        trans = trans[trans.time.between(t0, t1)]
        self.transitions = self.count(trans.person_id)
        self.adverse_transitions = self.count(trans.person_id[trans.adverse])
        self.untreated_at_discharge = self.count(trans.person_id[trans.unstable])
        self.transition_handoffs = self.total(trans.person_id, trans.handoffs)
        self.transition_coordinators = self.total(trans.person_id, trans.coordinators)
        self.coordinator_links = self.total(trans.person_id, trans.coordinator_links)
        self.failed_coordinator_links = self.total(trans.person_id, trans.failed_links)

        hn = rec.table("home_nursing")
        started = hn.started.to_numpy(dtype=float)
        # an episode ends early when the person dies or moves away (Municipality.stop_home_nursing)
        hn_end = np.minimum(started + hn.days.to_numpy(dtype=float), leave[hn.person_id.to_numpy()])
        self.home_nursing_days = self.total(hn.person_id, _overlap(started, hn_end, t0, t1))

        self.actor_years, self.interfaces = self._fragmentation(rec.table("contacts"))
        crises = rec.table("crises_at_home")
        self.crises_at_home = self.count(crises.person_id[crises.time.between(t0, t1)])
        self.overload = overload_outcomes.OverloadActivity(model, self, adm_all, det)
        self.team_cases = team_cases_table(model)
        self.team_cost_by_payer = self._team_costs(model)
        activity = pd.DataFrame({
            "medical_bed_days": self.medical_bed_days, "psychiatric_bed_days": self.psychiatric_bed_days,
            "ed_visits": self.ed_visits, "outpatient_visits": self.outpatient_visits,
            "outpatient_phone_contacts": self.phone_contacts + self.outreach_calls,
            "pro_questionnaires": self.pro_questionnaires,
            "gp_consultations": self.gp_contacts, "home_nursing_days": self.home_nursing_days,
            "delayed_discharge_days": self.delayed_days,
            "municipal_acute_bed_days": self.municipal_bed_days, "ward_enquiries": self.ward_enquiries,
            "boarding_days": self.overload.boarding_days,
            "medical_bed_days_elsewhere": self.medical_bed_days_elsewhere,
            "psychiatric_bed_days_elsewhere": self.psychiatric_bed_days_elsewhere,
            "transfers_to_other_hospitals": self.overload.other_hospital,
            "outpatient_visits_elsewhere": self.overload.referrals_elsewhere,
        })
        assert set(activity.columns) == {item.name for item in COST_ITEMS}
        self.costs = patient_costs(activity, model.cfg.costs)
        self._add_vacant_municipal_bed_costs(model, stays)
        for payer, allocated in self.team_cost_by_payer.items():
            self.costs[payer] += allocated
            self.costs["total"] += allocated

    def _add_vacant_municipal_bed_costs(self, model: CareModel, stays: pd.DataFrame) -> None:
        """Staffed municipal acute beds cost something empty too: each unit's vacant bed days in the window,
        allocated to the unit's patients by their bed days (a unit nobody used: to its municipality's patients)."""
        self.municipal_vacant_cost = 0.0
        self.municipal_vacant_unallocated = 0.0
        costs = model.cfg.costs
        if model.cfg.capacity.unlimited_capacity:  # unbounded beds (a verification switch) have no staffing
            return
        span = self.t1 - self.t0
        for unit in model.acute_alternatives.units:
            vacant_days = max(0.0, unit.beds_count * span - unit.occupied.mean(self.t0, self.t1) * span)
            cost = vacant_days * costs.municipal_acute_bed_day * costs.municipal_acute_vacant_bed_day_share
            self.municipal_vacant_cost += cost
            mine = stays[stays.municipality == unit.municipality.index]
            days = self.total(mine.person_id, _overlap(mine.start.to_numpy(), mine.end.to_numpy(), self.t0, self.t1))
            if days.sum() == 0:  # a unit nobody used: its municipality's patients, by their time in the window
                days = self.exposure_days * (model.population.municipality == unit.municipality.index)
            if days.sum() > 0:
                share = cost * days / days.sum()
                self.costs["municipality"] += share
                self.costs["total"] += share
            else:
                self.municipal_vacant_unallocated += cost

    def _team_costs(self, model: CareModel) -> dict[str, np.ndarray]:
        """Each function's cost over the window, allocated to its patients by their days in the caseload; a
        function that reached nobody is still paid for, by every patient present, by their days in the window
        (so the groups' costs add up to the total; only a window without patients leaves it in 'all')."""
        out: dict[str, np.ndarray] = {}
        self.team_cost_total = 0.0
        self.team_cost_unallocated: dict[str, float] = {}  # teams with no patient in the window still cost
        for team in model.teams:
            cost = team.cost_between(self.t0, self.t1)
            self.team_cost_total += cost
            cases = self.team_cases[self.team_cases.team == team.name]
            days = _overlap(cases.started.to_numpy(), cases.ended.to_numpy(), self.t0, self.t1)
            per_patient = self.total(cases.person_id, days)
            if per_patient.sum() == 0:
                per_patient = self.exposure_days
            if per_patient.sum() > 0:
                out[team.payer] = out.get(team.payer, 0.0) + cost * per_patient / per_patient.sum()
            else:
                self.team_cost_unallocated[team.payer] = self.team_cost_unallocated.get(team.payer, 0.0) + cost
        return out

    def count(self, person_ids) -> np.ndarray:
        ids = np.asarray(person_ids, dtype=np.int64)
        return np.bincount(ids[ids >= 0], minlength=self.n).astype(float)

    def total(self, person_ids, values) -> np.ndarray:
        ids = np.asarray(person_ids, dtype=np.int64)
        vals = np.asarray(values, dtype=float)
        keep = ids >= 0
        return np.bincount(ids[keep], weights=vals[keep], minlength=self.n)

    def _readmissions(self, adm: pd.DataFrame, window: float):
        """Index discharges (left in [t0, t1 - window]) and whether the next admission came within ``window``."""
        a = adm.sort_values(["person_id", "arrival"])
        pid = a.person_id.to_numpy()
        same_next = np.r_[pid[1:] == pid[:-1], False]
        next_arrival = np.r_[a.arrival.to_numpy()[1:], np.inf]
        left = a.left.to_numpy()
        index = (left >= self.t0) & (left <= self.t1 - window)
        readmitted = index & same_next & (next_arrival - left <= window)
        return self.count(pid[index]), self.count(pid[readmitted])

    def _ed_visits_after_discharge(self, ed: pd.DataFrame, adm: pd.DataFrame, days: float) -> np.ndarray:
        """ED visits (in the window) within ``days`` of the patient's latest hospital discharge before them."""
        if ed.empty or adm.empty:
            return np.zeros(self.n)
        visits = ed[["person_id", "time"]].sort_values("time")
        discharges = adm[["person_id", "left"]].sort_values("left")
        last = pd.merge_asof(visits, discharges, left_on="time", right_on="left", by="person_id", direction="backward")
        soon = (last.time - last.left).to_numpy() <= days  # NaN (no discharge before) compares False
        return self.count(last.person_id.to_numpy()[soon])

    def _acute_care_returns(self, adm: pd.DataFrame, stays: pd.DataFrame, window: float):
        """Index discharges (from hospital, or from a municipal acute bed to home) that ended in [t0, t1 - window],
        and whether an acute admission or a municipal acute stay started within ``window`` after them.
        In usual care this equals the 30-day readmission count."""
        home = stays[~stays.transferred]
        ends = pd.DataFrame({"person_id": np.r_[adm.person_id.to_numpy(), home.person_id.to_numpy()],
                             "end": np.r_[adm.left.to_numpy(), home.end.to_numpy()]})
        ends = ends[(ends.end >= self.t0) & (ends.end <= self.t1 - window)].sort_values("end")
        starts = pd.DataFrame({"person_id": np.r_[adm.person_id.to_numpy(), stays.person_id.to_numpy()],
                               "start": np.r_[adm.arrival.to_numpy(), stays.start.to_numpy()]}).sort_values("start")
        if ends.empty:
            return np.zeros(self.n), np.zeros(self.n)
        nxt = pd.merge_asof(ends, starts, left_on="end", right_on="start", by="person_id", direction="forward",
                            allow_exact_matches=False)
        returned = (nxt.start - nxt.end).to_numpy() <= window  # NaN (nothing after) compares False
        pid = nxt.person_id.to_numpy()
        return self.count(pid), self.count(pid[returned])

    def _fragmentation(self, contacts: pd.DataFrame):
        c = contacts[contacts.time.between(self.t0, self.t1)].sort_values(["person_id", "time"], kind="stable")
        pid = c.person_id.to_numpy()
        actor = c.actor.to_numpy()
        changed = (pid[1:] == pid[:-1]) & (actor[1:] != actor[:-1])
        interfaces = self.count(pid[1:][changed])
        year = ((c.time.to_numpy() - self.t0) // 365.0).astype(np.int64)
        distinct = pd.DataFrame({"p": pid, "y": year, "a": actor}).drop_duplicates()
        return self.count(distinct.p.to_numpy()), interfaces


def compute(model: CareModel, t1: float | None = None, groups: Iterable[str] | None = None) -> pd.DataFrame:
    """All KPIs of a finished model as a tidy frame: ``group, kpi, value, unit``.

    ``t1`` ends the results window early (default: the end of the run). The teaching page passes the
    current time to show the KPIs of a run in progress; records after ``t1`` do not exist yet then.
    ``groups`` restricts the result to these patient groups and the teams (the page reads a few KPIs every
    simulated month; the system-wide ones, a third of the time, are then left out)."""
    w = _Window(model, t1=t1)
    rows: list[tuple[str, str, float]] = []
    wanted = None if groups is None else set(groups)
    for group, mask in patient_groups(model).items():
        if wanted is not None and group not in wanted:
            continue
        mask = mask & w.present
        py = w.exposure_days[mask].sum() / 365.0
        kpis = _group_kpis(w, mask, py)
        if group == "all":  # a function that reached nobody in the window is still paid for
            for payer, cost in w.team_cost_unallocated.items():
                kpis[f"cost_{payer}_dkk"] += cost
                kpis["cost_total_dkk"] += cost
            if w.municipal_vacant_unallocated:
                kpis["cost_municipality_dkk"] += w.municipal_vacant_unallocated
                kpis["cost_total_dkk"] += w.municipal_vacant_unallocated
            kpis["cost_per_patient_year_dkk"] = _ratio(kpis["cost_total_dkk"], py)
        kpis.update(_payment_kpis(model, w, mask, py, kpis))
        rows += [(group, name, value) for name, value in kpis.items()]
    if wanted is None:
        rows += [("all", name, value) for name, value in _system_kpis(model, w).items()]
        rows += [("all", name, value) for name, value in capacity_kpis(model, w).items()]
        for queue, values in model.queues.kpis().items():
            rows += [(f"queue={queue}", name, value) for name, value in values.items()]
        for move in model.capacity_plan.moves():
            rows += [(f"move={move.source.name}", name, value) for name, value in move_kpis(model, w, move).items()]
    for team in model.teams:
        rows += [(f"team={team.name}", name, value) for name, value in _team_kpis(model, w, team).items()]
    df = pd.DataFrame(rows, columns=["group", "kpi", "value"])
    df["unit"] = df.kpi.map(lambda k: KPI_BY_NAME[k].unit)
    return df


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else float("nan")


def _group_kpis(w: _Window, m: np.ndarray, py: float) -> dict[str, float]:
    per_1000 = lambda x: _ratio(1000.0 * x[m].sum(), py)  # noqa: E731
    kpis = {
        "patients": float(m.sum()),
        "patient_years": float(py),
        "deaths": float(w.deaths[m].sum()),
        "deteriorations_per_1000py": per_1000(w.deteriorations),
        "missed_deteriorations_per_1000py": per_1000(w.missed),
        "late_detected_deteriorations_per_1000py": per_1000(w.late),
        "detections_per_1000py": per_1000(w.detections),
        "gp_contacts_per_1000py": per_1000(w.gp_contacts),
        "gp_wait_mean_days": _ratio(w.gp_wait_sum[m].sum(), w.gp_wait_n[m].sum()),
        "ed_visits_per_1000py": per_1000(w.ed_visits),
        "acute_admissions_per_1000py": per_1000(w.admissions),
        "bed_days_per_1000py": per_1000(w.bed_days),
        "delayed_discharge_days_per_1000py": per_1000(w.delayed_days),
        "readmissions_30d": float(w.readmitted[m].sum()),
        "readmission_rate_30d": _ratio(w.readmitted[m].sum(), w.index_discharges[m].sum()),
        "boarding_wait_mean_hours": _ratio(w.boarding_sum[m].sum(), w.admissions[m].sum()),
        "ed_visits_within_72h_of_discharge_per_1000py": per_1000(w.ed_after_discharge),
        "acute_care_return_rate_30d": _ratio(w.care_returned[m].sum(), w.care_index[m].sum()),
        "municipal_acute_stays_per_1000py": per_1000(w.municipal_stays),
        "municipal_acute_bed_days_per_1000py": per_1000(w.municipal_bed_days),
        "municipal_acute_transfers_per_1000py": per_1000(w.municipal_transfers),
        "municipal_acute_transfer_share": _ratio(w.municipal_transfers[m].sum(), w.municipal_stays[m].sum()),
        "municipal_acute_turned_away_per_1000py": per_1000(w.municipal_turned_away),
        "ward_enquiries_per_1000py": per_1000(w.ward_enquiries),
        "direct_ward_admissions_per_1000py": per_1000(w.direct_admissions),
        "outpatient_visits_per_1000py": per_1000(w.outpatient_visits),
        "control_visits_per_1000py": per_1000(w.control_visits),
        "subacute_visits_per_1000py": per_1000(w.subacute_visits),
        "subacute_wait_mean_days": _ratio(w.subacute_wait_sum[m].sum(), w.subacute_visits[m].sum()),
        "outpatient_phone_contacts_per_1000py": per_1000(w.phone_contacts),
        "outreach_calls_per_1000py": per_1000(w.outreach_calls),
        "pro_questionnaires_per_1000py": per_1000(w.pro_questionnaires),
        "pro_missed_unstable_per_1000py": per_1000(w.pro_missed_unstable),
        "pro_false_alarms_per_1000py": per_1000(w.pro_false_alarms),
        "missed_outpatient_appointments_per_1000py": per_1000(w.outpatient_missed),
        "outpatient_new_referral_wait_mean_days": _ratio(w.new_ref_wait_sum[m].sum(), w.new_ref_n[m].sum()),
        "rtt_compliance": _ratio(w.new_ref_within[m].sum(), w.new_ref_n[m].sum()),
        "handoffs_per_1000py": per_1000(w.handoffs),
        "failed_handoffs_per_1000py": per_1000(w.failed_handoffs),
        "failed_handoff_share": _ratio(w.failed_handoffs[m].sum(), w.handoffs[m].sum()),
        "actors_per_patient_year": _ratio(w.actor_years[m].sum(), py),
        "interfaces_per_patient_year": _ratio(w.interfaces[m].sum(), py),
        "crises_handled_at_home_per_1000py": per_1000(w.crises_at_home),
        "adverse_transition_share": _ratio(w.adverse_transitions[m].sum(), w.transitions[m].sum()),
        "untreated_at_discharge_share": _ratio(w.untreated_at_discharge[m].sum(), w.transitions[m].sum()),
        "handoffs_per_discharge": _ratio(w.transition_handoffs[m].sum(), w.transitions[m].sum()),
        "coordinators_per_discharge": _ratio(w.transition_coordinators[m].sum(), w.transitions[m].sum()),
        "coordinator_interfaces_per_discharge": _ratio(w.coordinator_links[m].sum(), w.transitions[m].sum()),
        "failed_coordinator_link_share": _ratio(w.failed_coordinator_links[m].sum(), w.coordinator_links[m].sum()),
        **w.overload.group_kpis(w, m, per_1000),
    }
    for payer in PAYERS:
        kpis[f"cost_{payer}_dkk"] = float(w.costs[payer].to_numpy()[m].sum())
    kpis["cost_total_dkk"] = float(w.costs["total"].to_numpy()[m].sum())
    kpis["cost_per_patient_year_dkk"] = _ratio(kpis["cost_total_dkk"], py)
    return kpis


def _payment_kpis(model: CareModel, w: _Window, m: np.ndarray, py: float, kpis: dict[str, float]) -> dict[str, float]:
    """What each payer pays and earns for this group under the configured payment model (``sim.payment``)."""
    activity = {
        # the hospital's own activity: stays at other hospitals are paid by the region to them (cost_region_dkk)
        "medical_admissions": w.own_medical_admissions[m].sum(), "medical_bed_days": w.medical_bed_days[m].sum(),
        "psychiatric_admissions": w.own_psychiatric_admissions[m].sum(), "psychiatric_bed_days": w.psychiatric_bed_days[m].sum(),
        "ed_visits": w.ed_visits[m].sum(), "outpatient_visits": w.outpatient_visits[m].sum(),
        "outpatient_phone_contacts": w.phone_contacts[m].sum(), "gp_consultations": w.gp_contacts[m].sum(),
    }
    cost_by_payer = {payer: kpis[f"cost_{payer}_dkk"] for payer in PAYERS}
    return payment.ledger(activity, cost_by_payer, py, model.cfg.payment, model.cfg.costs)


def _reserve_kpis(model: CareModel, d0: int, d1: int) -> dict[str, float]:
    """How the clinics' sub-acute reserve slots in the window were used: by sub-acute patients or by
    fixed controls the clinic booked into them (DRG steering, Region H 2018 l.1536-1541)."""
    planned = used_controls = used_subacute = 0
    for clinic in model.clinics:
        if clinic.reserve is None:
            continue
        planned += clinic.planned_reserve_slots(d0, d1)
        used_controls += clinic.reserve_bookings_between(CONTROL, d0, d1)
        used_subacute += clinic.reserve_bookings_between(SUBACUTE, d0, d1)
    return {"reserve_slots_planned": float(planned), "reserve_slots_booked_by_controls": float(used_controls),
            "reserve_slots_booked_by_subacute": float(used_subacute)}


def _system_kpis(model: CareModel, w: _Window) -> dict[str, float]:
    rec, t0, t1 = model.recorder, w.t0, w.t1
    d0, d1 = int(t0), int(t1)
    gpb = rec.table("gp_background")
    gpb = gpb[gpb.day.between(d0, d1 - 1)]
    adm = w.admissions_all
    bg = rec.table("outpatient_background")
    bg = bg[bg.requested.between(t0, t1)]
    bg_wait = (bg.appointment - bg.requested).to_numpy()
    new_n = w.new_ref_n.sum() + bg["count"].sum()
    gp_booked = gp_cap = 0
    for practice in model.practices:
        b, c = practice.utilisation(d0, d1)
        gp_booked, gp_cap = gp_booked + b, gp_cap + c
    books = [b for c in model.clinics for b in (c.book, c.reserve) if b is not None]
    op_booked = sum(b.booked_between(d0, d1) for b in books)
    op_cap = sum(b.capacity_between(d0, d1) for b in books)
    places = sum(_mean_level(mu.capacity_levels, mu.places, t0, t1) for mu in model.municipalities)
    units = model.acute_alternatives.units
    concentration = _year_cost_concentration(model, w)
    return {
        "gp_referral_fraction": _ratio(gpb.referred.sum() + w.gp_chronic_referred, gpb.contacts.sum() + w.gp_chronic_contacts),
        "structural_fixes": float(rec.table("structural_fixes").time.between(t0, t1).sum()),
        "boarding_wait_mean_hours_all": _ratio(((adm.admitted - adm.arrival) * 24.0).sum(), len(adm)),
        "outpatient_new_referral_wait_mean_days_all": _ratio(w.new_ref_wait_sum.sum() + (bg_wait * bg["count"]).sum(), new_n),
        "rtt_compliance_all": _ratio(w.new_ref_within.sum() + bg["count"][bg_wait <= model.cfg.pathways.rtt_days].sum(), new_n),
        **_wait_tail_kpis(model, w, bg_wait, bg["count"].to_numpy()),
        "cost_new_functions_dkk": float(w.team_cost_total),
        "needs_based_followups_end": float(model.needs_based_patients),
        "pro_followups_end": float(model.pro_followed_patients),
        "cost_share_top_4pct": concentration[0],
        "high_cost_persistence": concentration[1],
        "medical_bed_occupancy": _ratio(model.medical_ward.occupied.mean(t0, t1), _mean_beds(model.medical_ward, t0, t1)),
        "psychiatric_bed_occupancy": _ratio(model.psychiatric_ward.occupied.mean(t0, t1), _mean_beds(model.psychiatric_ward, t0, t1)),
        "gp_utilisation": _ratio(gp_booked, gp_cap),
        "outpatient_utilisation": _ratio(op_booked, op_cap),
        "home_nursing_utilisation": _ratio(sum(mu.in_use.mean(t0, t1) for mu in model.municipalities), places),
        "municipal_acute_vacant_bed_cost_dkk": float(w.municipal_vacant_cost),
        "municipal_acute_bed_utilisation": _ratio(sum(u.occupied.mean(t0, t1) for u in units), sum(u.beds_count for u in units)),
        **_reserve_kpis(model, d0, d1),
        **overload_outcomes.system_kpis(model, w, w.overload, float(new_n)),
    }


def _wait_tail_kpis(model: CareModel, w: _Window, bg_wait: np.ndarray, bg_count: np.ndarray) -> dict[str, float]:
    """The tail of the new-referral waits (chronic and background), the overshoot beyond the right, and the
    referrals not yet given a slot: what a binary 30-day share hides (Region H 2018 l.1449-1455)."""
    waits = np.concatenate([w.new_ref_waits, bg_wait]).astype(float)
    people = np.concatenate([np.ones(len(w.new_ref_waits)), bg_count]).astype(float)
    over = np.clip(waits - model.cfg.pathways.rtt_days, 0.0, None)
    breached = over > 0
    waiting = [entry for clinic in model.clinics for entry in clinic.still_waiting()]
    return {
        "outpatient_new_referral_wait_p95_days_all": _weighted_quantile(waits, people, 0.95),
        "outpatient_new_referral_wait_max_days_all": float(waits[people > 0].max()) if (people > 0).any() else float("nan"),
        "rtt_overshoot_mean_days_all": _ratio((over * people)[breached].sum(), people[breached].sum()) if breached.any() else 0.0,
        "outpatient_waiting_list_end_all": float(sum(n for _, n in waiting)),
        "outpatient_waiting_list_end_oldest_days_all": float(max((w.t1 - t for t, _ in waiting), default=0.0)),
    }


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value with at least a share ``q`` of the weight at or below it (inverted CDF)."""
    total = weights.sum()
    if total <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][min(len(values) - 1, np.searchsorted(cumulative, q * total))])


def _mean_level(levels: list[tuple[float, float]], constant: float, t0: float, t1: float) -> float:
    """Time-averaged planned capacity; the constant itself when the calendar does not change it."""
    if len(levels) == 1 or t1 <= t0:
        return constant
    return level_integral(levels, t0, t1) / (t1 - t0)


def _mean_beds(ward, t0: float, t1: float) -> float:
    return _mean_level(ward.capacity_levels, ward.beds_count, t0, t1)


def capacity_kpis(model: CareModel, w: _Window) -> dict[str, float]:
    """Capacity cost per owner, planned GP utilisation and what the capacity moves did (system scope)."""
    d0, d1 = int(w.t0), int(w.t1)
    booked = cap = 0
    for practice in model.practices:
        b, c = practice.planned_utilisation(d0, d1)
        booked, cap = booked + b, cap + c
    kpis = {"gp_planned_utilisation": _ratio(booked, cap)}
    costs = capacity_cost(model.capacity_plan, w.t0, w.t1)
    for owner in CAPACITY_OWNERS:
        kpis[f"capacity_cost_{owner}_dkk"] = costs[owner]
    kpis["capacity_cost_total_dkk"] = float(sum(costs.values()))
    rec = model.recorder
    closures = rec.table("closure_discharges")
    kpis["closure_discharges"] = float(closures.time.between(w.t0, w.t1).sum())
    transfers = rec.table("control_transfers")
    transfers = transfers[transfers.time.between(w.t0, w.t1)]
    kpis["control_transfers"] = float(len(transfers))
    kpis["control_transfers_failed"] = float((transfers.outcome != "completed").sum())
    return kpis


def resource_use(model: CareModel, w: _Window, resource: str, condition: int, t0: float, t1: float) -> tuple[float, float, float]:
    """(used, available, released) capacity of one calendar resource over [t0, t1): bed days, slots or
    place-days. ``released`` counts sub-acute slots given to the ordinary book unused (they count as available)."""
    d0, d1 = int(t0), int(t1)
    if resource in ("medical_beds", "psychiatric_beds"):
        ward = model.medical_ward if resource == "medical_beds" else model.psychiatric_ward
        adm = w.admissions_table[(w.admissions_table.ward == ward.name) & (w.admissions_table.place == "ward")]
        used = _overlap(adm.admitted.to_numpy(), adm.left.to_numpy(), t0, t1).sum()
        return float(used), level_integral(ward.capacity_levels, t0, t1), 0.0
    if resource in ("outpatient_slots", "subacute_slots"):
        clinic = model.clinics[condition]
        book = clinic.book if resource == "outpatient_slots" else clinic.reserve
        if book is None:
            return 0.0, 0.0, 0.0
        released = float(book.released_between(d0, d1))
        return float(book.booked_between(d0, d1)), float(book.capacity_between(d0, d1)) + released, released
    if resource == "gp_planned_slots":
        used = available = 0
        for practice in model.practices:
            b, c = practice.planned_utilisation(d0, d1)
            used, available = used + b, available + c
        return float(used), float(available), 0.0
    hn = model.recorder.table("home_nursing")
    started = hn.started.to_numpy(dtype=float)
    used = _overlap(started, started + hn.days.to_numpy(dtype=float), t0, t1).sum()
    return float(used), sum(level_integral(mu.capacity_levels, t0, t1) for mu in model.municipalities), 0.0


def move_kpis(model: CareModel, w: _Window, move) -> dict[str, float]:
    """What one capacity move did: its cost at both ends and the utilisation of both ends after it."""
    changes = (move.source, *move.receivers)
    costs = [change_cost(c, w.t0, w.t1) for c in changes]
    start = max(w.t0, float(move.source.time))
    src = resource_use(model, w, move.source.resource, move.source.condition, start, w.t1)
    targets = [resource_use(model, w, r.resource, r.condition, start, w.t1) for r in move.receivers]
    subacute = [t for r, t in zip(move.receivers, targets) if r.resource == "subacute_slots"]
    return {
        "move_day": float(move.source.day),
        "move_budget_neutral": float(move.budget_neutral),
        "move_capacity_cost_freed_dkk": float(-sum(c for c in costs if c < 0)),
        "move_capacity_cost_added_dkk": float(sum(c for c in costs if c > 0)),
        "move_capacity_cost_net_dkk": float(sum(costs)),
        "move_source_utilisation": _ratio(src[0], src[1]),
        "move_target_utilisation": _ratio(sum(t[0] for t in targets), sum(t[1] for t in targets)) if targets else float("nan"),
        "move_target_released_share": _ratio(sum(t[2] for t in subacute), sum(t[1] for t in subacute)) if subacute else float("nan"),
    }


def _team_kpis(model: CareModel, w: _Window, team) -> dict[str, float]:
    cases = w.team_cases[w.team_cases.team == team.name]
    started = cases[cases.started.between(w.t0, w.t1)]
    caseload = team.in_use.mean(w.t0, w.t1)
    return {
        "team_places": float(team.places),
        "team_caseload_mean": float(caseload),
        "team_utilisation": _ratio(caseload, team.places),
        "team_waiting_list_mean": float(team.waiting.mean(w.t0, w.t1)),
        "team_intake_wait_mean_days": _ratio((started.started - started.referred).sum(), len(started)),
        "team_cases_started": float(len(started)),
        "team_cost_dkk": float(team.cost_between(w.t0, w.t1)),
    }


def _year_cost_concentration(model: CareModel, w: _Window) -> tuple[float, float]:
    """Top-4% cost share in results year 1, and how many of that top 4% are again in the top 4% in year 2."""
    year_costs = [_Window(model, w.t0 + 365.0 * k, w.t0 + 365.0 * (k + 1)).costs["total"].to_numpy()
                  for k in range(2) if w.t0 + 365.0 * (k + 1) <= w.t1 + 1e-9]
    share = persistence = float("nan")
    if year_costs:
        share = top_share(year_costs[0][w.present], 0.04)
    if len(year_costs) == 2:
        c1, c2 = year_costs
        k = max(1, int(round(0.04 * w.present.sum())))
        persistence = len(set(np.argsort(-c1)[:k]) & set(np.argsort(-c2)[:k])) / k
    return share, persistence


def as_nested(df: pd.DataFrame) -> dict[str, dict[str, float]]:
    """``{group: {kpi: value}}`` for JSON (NaN becomes None)."""
    out: dict[str, dict[str, float | None]] = {}
    for group, kpi, value in df[["group", "kpi", "value"]].itertuples(index=False):
        out.setdefault(group, {})[kpi] = None if pd.isna(value) else float(value)
    return out

"""The core per-group KPIs: exposure, disease course, general practice, acute care, outpatient care,
transitions and cost. Formulas read a patient group's measures ``g`` (``g.w``: the results window, ``g.m``:
the group's mask, ``g.py``: its patient-years, ``g.per_1000``, ``g.sum``, ``g.costs``), built at compute time.
The order of the tuples is the order of the KPI table (``sim.outcomes.declarations``)."""

from __future__ import annotations

from ..costs import PAYERS
from ..kpi import KPI, ratio

EXPOSURE_AND_ACUTE_CARE: tuple[KPI, ...] = (
    KPI("patients", "persons", "chronic patients present at some time in the results window", "group",
        lambda g: float(g.m.sum())),
    KPI("patient_years", "patient-years", "time chronic patients spent in the catchment during the results window", "group",
        lambda g: float(g.py)),
    KPI("deaths", "persons", "deaths in the results window", "group",
        lambda g: float(g.sum(g.w.deaths))),
    KPI("deteriorations_per_1000py", "per 1,000 patient-years", "deteriorations (exacerbations) of chronic disease", "group",
        lambda g: g.per_1000(g.w.deteriorations)),
    KPI("missed_deteriorations_per_1000py", "per 1,000 patient-years", "moderate deteriorations with no care contact (the patient did not seek care)", "group",
        lambda g: g.per_1000(g.w.missed)),
    KPI("late_detected_deteriorations_per_1000py", "per 1,000 patient-years", "moderate deteriorations that became acute before treatment (unattended, before contact, or while waiting for a GP slot)", "group",
        lambda g: g.per_1000(g.w.late)),
    KPI("detections_per_1000py", "per 1,000 patient-years", "unstable phases caught and treated by a clinician (GP, outpatient control, admission)", "group",
        lambda g: g.per_1000(g.w.detections)),
    KPI("gp_contacts_per_1000py", "per 1,000 patient-years", "GP consultations of chronic patients (deteriorations and planned checks)", "group",
        lambda g: g.per_1000(g.w.gp_contacts)),
    KPI("gp_wait_mean_days", "days", "mean wait from calling about a deterioration to the GP consultation", "group",
        lambda g: ratio(g.sum(g.w.gp_wait_sum), g.sum(g.w.gp_wait_n))),
    KPI("ed_visits_per_1000py", "per 1,000 patient-years", "emergency-department visits", "group",
        lambda g: g.per_1000(g.w.ed_visits)),
    KPI("acute_admissions_per_1000py", "per 1,000 patient-years", "acute admissions (medical and psychiatric)", "group",
        lambda g: g.per_1000(g.w.admissions)),
    KPI("bed_days_per_1000py", "per 1,000 patient-years", "bed days, including days waiting for discharge", "group",
        lambda g: g.per_1000(g.w.bed_days)),
    KPI("delayed_discharge_days_per_1000py", "per 1,000 patient-years", "bed days after the patient was ready for discharge, waiting for a home-nursing place", "group",
        lambda g: g.per_1000(g.w.delayed_days)),
    KPI("readmissions_30d", "admissions", "acute readmissions within 30 days of a discharge (index discharges with full follow-up in the window)", "group",
        lambda g: float(g.sum(g.w.readmitted))),
    KPI("readmission_rate_30d", "share of discharges", "share of discharges followed by an acute readmission within 30 days", "group",
        lambda g: ratio(g.sum(g.w.readmitted), g.sum(g.w.index_discharges))),
    KPI("boarding_wait_mean_hours", "hours", "mean wait for a ward bed after the decision to admit (chronic patients)", "group",
        lambda g: ratio(g.sum(g.w.boarding_sum), g.sum(g.w.admissions))),
    KPI("ed_visits_within_72h_of_discharge_per_1000py", "per 1,000 patient-years", "ED visits within 72 hours of a hospital discharge (the window of extended treatment responsibility, Slides l.140-142)", "group",
        lambda g: g.per_1000(g.w.ed_after_discharge)),
)

# outpatient care, handoffs and fragmentation
OUTPATIENT_VISITS: tuple[KPI, ...] = (
    KPI("outpatient_visits_per_1000py", "per 1,000 patient-years", "attended outpatient visits (controls and new referrals)", "group",
        lambda g: g.per_1000(g.w.outpatient_visits)),
    KPI("control_visits_per_1000py", "per 1,000 patient-years", "attended fixed-interval outpatient controls", "group",
        lambda g: g.per_1000(g.w.control_visits)),
    KPI("subacute_visits_per_1000py", "per 1,000 patient-years", "attended sub-acute visits the patient's call or a positive PRO score asked for", "group",
        lambda g: g.per_1000(g.w.subacute_visits)),
    KPI("subacute_wait_mean_days", "days", "mean wait from the patient's call (or the flagged questionnaire) to the sub-acute visit", "group",
        lambda g: ratio(g.sum(g.w.subacute_wait_sum), g.sum(g.w.subacute_visits))),
    KPI("outpatient_phone_contacts_per_1000py", "per 1,000 patient-years", "patient-initiated contacts settled by phone or portal", "group",
        lambda g: g.per_1000(g.w.phone_contacts)),
    KPI("outreach_calls_per_1000py", "per 1,000 patient-years", "calls the clinic made to patients off fixed controls it had not heard from (outreach to silent patients)", "group",
        lambda g: g.per_1000(g.w.outreach_calls)),
)
OUTPATIENT_AND_TRANSITIONS: tuple[KPI, ...] = (
    KPI("missed_outpatient_appointments_per_1000py", "per 1,000 patient-years", "booked outpatient appointments not attended (no-show or during an episode)", "group",
        lambda g: g.per_1000(g.w.outpatient_missed)),
    KPI("outpatient_new_referral_wait_mean_days", "days", "mean wait from GP referral to the first outpatient appointment (chronic patients)", "group",
        lambda g: ratio(g.sum(g.w.new_ref_wait_sum), g.sum(g.w.new_ref_n))),
    KPI("rtt_compliance", "share of new referrals", "share of chronic patients' new referrals seen within the 30-day right (Region H 2018 l.1447-1448)", "group",
        lambda g: ratio(g.sum(g.w.new_ref_within), g.sum(g.w.new_ref_n))),
    KPI("handoffs_per_1000py", "per 1,000 patient-years", "discharge handoffs (to the GP and to municipal home nursing)", "group",
        lambda g: g.per_1000(g.w.handoffs)),
    KPI("failed_handoffs_per_1000py", "per 1,000 patient-years", "discharge handoffs that failed (lost information, missing follow-up)", "group",
        lambda g: g.per_1000(g.w.failed_handoffs)),
    KPI("failed_handoff_share", "share of handoffs", "share of discharge handoffs that failed", "group",
        lambda g: ratio(g.sum(g.w.failed_handoffs), g.sum(g.w.handoffs))),
    KPI("actors_per_patient_year", "actors", "distinct care actors (practice, ED, wards, clinics, municipality) a patient dealt with per year", "group",
        lambda g: ratio(g.sum(g.w.actor_years), g.py)),
    KPI("interfaces_per_patient_year", "transitions per patient-year", "changes from one care actor to another between consecutive contacts", "group",
        lambda g: ratio(g.sum(g.w.interfaces), g.py)),
)

# cost by payer (sim.costs), with what no patient of the window could carry added to group 'all'
COSTS: tuple[KPI, ...] = (
    *(KPI(f"cost_{payer}_dkk", "DKK", f"cost borne by {payer.replace('_', ' ')} for chronic patients in the results window", "group",
          lambda g, payer=payer: g.costs[payer])
      for payer in PAYERS),
    KPI("cost_total_dkk", "DKK", "total cost of chronic patients' care in the results window", "group",
        lambda g: g.costs["total"]),
    KPI("cost_per_patient_year_dkk", "DKK per patient-year", "total cost per patient-year", "group",
        lambda g: ratio(g.costs["total"], g.py)),
)

"""Usual-care pathways: disease dynamics, patient behaviour, clinical decisions (``pathways.*``)."""

from __future__ import annotations

from typing import Literal

from dataclasses import dataclass

from .params import param, probability
from .dimensions import PER_AGE_BAND, PER_CONDITION, PER_PAM


# --------------------------------------------------------------------------------------------------
# Usual-care pathways: disease dynamics, patient behaviour, clinical decisions
# --------------------------------------------------------------------------------------------------
LengthOfStayDistribution = Literal["lognormal", "exponential"]


@dataclass(frozen=True)
class PathwayConfig:
    # -- disease dynamics ------------------------------------------------------------------------
    deterioration_rate: list[float] = param(
        [0.5, 0.18, 0.3, 0.4, 0.25], unit=f"deteriorations per patient-year in a stable phase {PER_CONDITION}",
        lo=0.0, hi=100.0, length=5,
        source="assumption: exacerbation frequencies of Danish chronic patients, order of magnitude; calibrated to admission rates")
    deterioration_age_ratio: list[float] = param(
        [0.8, 1.0, 1.2, 1.5], unit=f"rate ratio {PER_AGE_BAND}", lo=0.0, hi=100.0, length=4,
        source="assumption: older patients deteriorate more often")
    deterioration_pam_ratio: list[float] = param(
        [1.5, 1.2, 1.0, 0.85], unit=f"rate ratio {PER_PAM}", lo=0.0, hi=100.0, length=4,
        source="assumption: low activation (PAM 1) means poorer self-management (VIVE 2018 l.2252-2256)")
    deterioration_vulnerable_ratio: float = param(
        1.3, unit="rate ratio", lo=0.0, hi=100.0,
        source="assumption: social problems and poor coping raise deterioration (VIVE 2018 l.2124-2126)")
    deterioration_frailty_exponent: float = param(
        0.5, unit="exponent on frailty", lo=0.0, hi=5.0,
        source="assumption: frail people deteriorate more often; an exponent below 1 keeps the rate ratio moderate")
    instability_onset_rate: float = param(
        0.4, unit="unstable phases per patient-year (at rate ratio 1)", lo=0.0, hi=100.0,
        source="assumption: high use alternates with lower use (VIVE 2018 l.1032-1037); only ~15% of high-need patients stay high-need a year later (SST 2013 l.1191-1192)")
    instability_reference_rate: float = param(
        0.6, unit="deteriorations per year", lo=0.001, hi=100.0,
        source="assumption: a patient with this stable-phase rate has the onset rate above; onset scales with the patient's rate")
    instability_max_ratio: float = param(
        5.0, unit="rate ratio", lo=0.0, hi=1000.0,
        source="assumption: caps how much more often the sickest patients enter unstable phases")
    instability_mean_days: float = param(
        75.0, unit="days", lo=0.1, hi=3650.0,
        source="assumption: an unstable phase lasts a few months unless it is caught and treated; Stockholm's high-need group has an admission every 3 months (SST 2013 l.1186)")
    unstable_ratio: float = param(
        5.0, unit="rate ratio during an unstable phase", lo=1.0, hi=100.0,
        source="assumption: cost concentration (4% use 50%, VIVE 2018 l.2116-2117) needs strongly elevated rates in unstable phases")
    p_severe: float = probability(
        0.12, unit="probability a deterioration is acute from the start",
        source="assumption: most deteriorations are moderate and can be handled in primary care if caught")
    p_severe_unstable: float = probability(
        0.25, unit="probability a deterioration in an unstable phase is acute from the start",
        source="assumption: deteriorations in unstable phases are more often acute")
    # -- patient behaviour ------------------------------------------------------------------------
    p_seek_care: list[float] = probability(
        [0.55, 0.70, 0.85, 0.92], length=4, unit=f"probability of contacting the GP about a moderate deterioration {PER_PAM}",
        source="assumption: Region H 2018 l.823-829, l.1105-1108 say patients contact when there is a real need but name reasons not to; low activation lowers it")
    seek_care_vulnerable_ratio: float = probability(
        0.7, unit="multiplier on the probability of seeking care",
        source="assumption: vulnerable patients seek help less (SST 2013 l.2464-2476)")
    seek_delay_mean_days: float = param(
        2.0, unit="days", lo=0.0, hi=365.0,
        source="assumption: median delay from noticing a deterioration to contacting care of a few days")
    escalation_rate_per_day: float = param(
        0.03, unit="per day", lo=0.0, hi=100.0,
        source="assumption: a moderate deterioration not yet treated becomes acute at this rate, whether the patient waits for a GP slot or stays away")
    resolution_rate_per_day: float = param(
        0.10, unit="per day", lo=0.0, hi=100.0,
        source="assumption: an unattended moderate deterioration settles by itself at this rate (so about a third of unattended ones escalate)")
    # -- general practice -------------------------------------------------------------------------
    gp_background_contacts_per_person_year: float = param(
        4.2, unit="GP contacts per inhabitant per year", lo=0.0, hi=100.0,
        source="assumption: Danish consultations per inhabitant, order of magnitude; the whole population's routine demand is background load")
    gp_background_same_day_share: float = probability(
        0.45, unit="share of background GP contacts wanting a same-day slot",
        source="assumption: matches the share of capacity held for same-day contacts")
    p_gp_refer_background: float = probability(
        0.095, unit="probability a routine GP contact is referred on",
        source="Slides l.41-44 (GPs close about 90% of contacts and send 10% on); the chronic deterioration contacts make up the rest")
    p_gp_refer_deterioration: float = probability(
        0.22, unit="probability a GP contact about a chronic deterioration is referred on",
        source="assumption: deteriorations of chronic disease are referred more often than routine contacts; the overall 90/10 split (Slides l.41-44) is the calibration target")
    gp_referral_acute_share: float = probability(
        0.5, unit="share of deterioration referrals sent to the emergency department (rest: outpatient clinic)",
        source="assumption: half of referred deteriorations need acute assessment")
    background_referral_destinations: list[float] = param(
        [0.025, 0.02, 0.04, 0.02, 0.01, 0.10], unit="share of referred routine contacts going to the copd, t2d, heart_disease, smi, dementia clinic and to the ED (rest: hospital services not modelled)",
        lo=0.0, hi=1.0, length=6,
        source="assumption: the modelled clinics receive a small part of all GP referrals; about 1 in 10 referrals is acute")
    p_gp_treatment_stabilises: float = probability(
        0.5, unit="probability GP treatment ends an unstable phase",
        source="assumption: a GP contact caught early often settles a deterioration")
    gp_annual_check_for_gp_followed: bool = param(
        True, unit="flag", source="assumption: chronic patients not followed at hospital get an annual check in general practice (SST 2013 l.1211-1212: programmes assign the follow-up level)")
    p_detect_at_gp_check: float = probability(
        0.4, unit="probability an unstable phase is detected and treated at a planned GP check",
        source="assumption: a routine check catches some ongoing deteriorations")
    # -- acute path -------------------------------------------------------------------------------
    ed_assessment_hours: float = param(
        4.0, unit="hours", lo=0.0, hi=72.0, source="assumption: a typical emergency-department assessment")
    p_admit_from_ed: float = probability(
        0.75, unit="probability an acute chronic patient is admitted after ED assessment",
        source="assumption: most acute deteriorations of chronic disease are admitted")
    los_mean_days: list[float] = param(
        [5.0, 4.5, 5.0, 18.0, 7.0], unit=f"days (mean length of stay) {PER_CONDITION}", lo=0.01, hi=365.0, length=5,
        source="assumption: Danish mean lengths of stay, order of magnitude (psychiatric stays for severe mental illness are long)")
    los_cv: float = param(
        0.8, unit="coefficient of variation", lo=0.0, hi=10.0, source="assumption: lengths of stay are right-skewed (lognormal)")
    min_stay_share_early_discharge: float = probability(
        0.25, unit="shortest share of the clinical length of stay when a team secures earlier discharge",
        source="assumption: treatment still needs most of a short stay; only the days waiting for follow-up can go")
    p_inpatient_stabilises: float = probability(
        0.8, unit="probability an admission ends an unstable phase", source="assumption: admission treats most deteriorations")
    background_acute_admissions_per_1000: list[float] = param(
        [25.0, 2.0], unit="admissions per 1,000 inhabitants per year to the (medical, psychiatric) ward not arising from modelled chronic patients or GP referrals",
        lo=0.0, hi=10000.0, length=2,
        source="assumption: the rest of the population's acute admissions (self-referral, 1813, ambulance), sized with the beds for 85-90% occupancy")
    background_los_mean_days: list[float] = param(
        [3.5, 12.0], unit="days (mean length of stay, medical and psychiatric ward)", lo=0.01, hi=365.0, length=2,
        source="assumption: shorter stays for the general acute population")
    background_los_distribution: str = param(
        "lognormal", choices=LengthOfStayDistribution, unit="lognormal | exponential",
        source="assumption: lognormal as for patients; exponential is there for the Erlang-C verification",
        doc="distribution of background lengths of stay")
    # -- discharge and handoffs -------------------------------------------------------------------
    p_home_nursing: list[float] = probability(
        [0.05, 0.10, 0.30, 0.55], length=4, unit=f"probability of discharge to home nursing {PER_AGE_BAND}",
        source="assumption: older patients more often need home nursing after discharge")
    home_nursing_dementia_extra: float = probability(
        0.3, unit="added probability of home nursing with dementia", source="assumption: dementia raises the need for municipal care (Slides l.93-96)")
    home_nursing_days: float = param(
        21.0, unit="days", lo=0.0, hi=365.0, source="assumption: a post-discharge home-nursing episode of a few weeks")
    p_handoff_fail_gp: float = probability(
        0.15, unit="probability the discharge handoff to the GP fails",
        source="assumption: information is lost at transitions (VIVE 2018 l.584-587; Buch (DSI) l.230-330); magnitude not in the sources")
    p_handoff_fail_municipality: float = probability(
        0.18, unit="probability the discharge handoff to home nursing fails",
        source="assumption: explicit handover to home care is often missing (VIVE 2018 l.2226-2227); magnitude not in the sources")
    post_discharge_days: float = param(
        30.0, unit="days", lo=0.0, hi=365.0,
        source="assumption: the vulnerable period after discharge is the 30-day readmission window (MODEL.md §3.4)")
    post_discharge_ratio: float = param(
        3.5, unit="rate ratio", lo=0.0, hi=100.0,
        source="assumption: recently discharged patients are unstable; calibrated to a 30-day readmission rate of 10-20%")
    failed_handoff_ratio: float = param(
        2.0, unit="rate ratio on top of the post-discharge ratio", lo=1.0, hi=100.0,
        source="assumption: a failed handoff (missing follow-up, lost information) raises readmission risk (MODEL.md §3.2)")
    readmission_window_days: float = param(
        30.0, unit="days", lo=1.0, hi=365.0, source="assumption: the usual 30-day readmission definition (MODEL.md §3.4)")
    # -- outpatient follow-up ---------------------------------------------------------------------
    hospital_followed_share: list[float] = probability(
        [0.3, 0.25, 0.4, 0.6, 0.3], length=5, unit=f"probability a patient is followed in the hospital clinic {PER_CONDITION}",
        source="assumption: SST 2013 l.3029-3033 (22% of hospital-followed COPD patients could be followed in primary care) shows a sizeable hospital-followed share")
    control_interval_days: float = param(
        365.0, unit="days", lo=1.0, hi=3650.0, source="Region H 2018 l.150-151 (fixed controls, e.g. every year)")
    p_detect_at_control: float = probability(
        0.6, unit="probability an unstable phase is detected and treated at an outpatient control",
        source="assumption: a control visit catches many ongoing deteriorations (Region H 2018 l.619-625)")
    p_no_show: float = probability(
        0.05, unit="probability of not attending an outpatient appointment", source="assumption: Danish no-show rates are low")
    p_no_show_vulnerable: float = probability(
        0.20, unit="probability of not attending an outpatient appointment (vulnerable)",
        source="assumption: vulnerable patients find it hard to keep appointments (VIVE 2018 l.1479-1481)")
    p_enrol_after_new_referral: float = probability(
        0.3, unit="probability a GP-referred chronic patient is taken into hospital follow-up",
        source="assumption: some referred patients stay in hospital follow-up")
    p_discharge_to_gp_at_control: float = probability(
        0.02, unit="probability a stable patient is discharged from hospital follow-up to the GP at a control",
        source="assumption: hospital doctors seldom hand stabilised patients back to primary care (SST 2013 l.3035-3038)")
    p_discharge_when_over_caseload: float = probability(
        0.5, unit="probability a stable patient is discharged to the GP at a control while the clinic follows more patients than planned",
        source="assumption: a clinic keeps its follow-up caseload near its planned size (the caseload at the start) by handing stable patients back; this keeps the baseline stationary")
    rtt_days: float = param(
        30.0, unit="days", lo=1.0, hi=365.0, source="Region H 2018 l.1447-1448 (right to diagnostic workup within 30 days)")

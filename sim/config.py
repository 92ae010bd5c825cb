"""Structured configuration: every parameter with its unit, source and allowed range.

The dataclasses below are the schema Hydra composes YAML config groups onto (``configs/``). Each leaf
is declared with :func:`param`, which stores the unit, the source (a document and line, or
``assumption: <reason>``) and the allowed range as field metadata. From that metadata we

* validate a composed config before anything runs (:func:`validate`), naming the key and the range;
* generate ``docs/parameters.md`` (``python -m sim.docs``);
* test that no parameter lacks a unit or a source (``tests/unit/test_provenance.py``).

Sources are cited as in ``docs/references.md``: ``Slides l.41-44``, ``VIVE 2018 l.2117``,
``SST 2013 l.2376``, ``Region H 2018 l.151``, ``Buch (DSI) l.230``.
Time is in days throughout the model; rates are per year where the unit says so.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass, field
from typing import Any

from omegaconf import DictConfig, OmegaConf

from .input_checks import bool_problems, capacity_problems, name_problems, population_problems
from .params import param, probability
from .overload_config import OverloadConfig
from .specialisation_config import SpecialisationConfig, specialisation_problems

CONDITIONS: tuple[str, ...] = ("copd", "t2d", "heart_disease", "smi", "dementia")
AGE_BANDS: tuple[str, ...] = ("18-39", "40-64", "65-79", "80+")
AGE_BAND_EDGES: tuple[int, ...] = (18, 40, 65, 80, 100)
PAM_LEVELS: tuple[int, ...] = (1, 2, 3, 4)

_PER_CONDITION = "per condition (copd, t2d, heart_disease, smi, dementia)"
_PER_AGE_BAND = "per age band (18-39, 40-64, 65-79, 80+)"
_PER_PAM = "per PAM level (1, 2, 3, 4)"


# --------------------------------------------------------------------------------------------------
# Run control
# --------------------------------------------------------------------------------------------------
@dataclass
class RunConfig:
    years: float = param(
        5.0, unit="years", lo=0.05, hi=50.0,
        source="assumption: five planning years; Region H 2018 l.107-110 says effects of changed "
               "controls show after 1 year and fully after at least 2",
        doc="simulated horizon after the warm-up")
    warmup_days: float = param(
        270.0, unit="days", lo=0.0, hi=3650.0,
        source="assumption: diagnosed with MSER-5 (`python -m sim.warmup`) on the baseline's daily beds, boarding, home nursing and outpatient lead time: largest truncation 80 days for the small catchment (8 replications, 3 years) and 250 days for Randers (4 replications, 2 years, home nursing), rounded up to 30 days",
        doc="time simulated before results are collected (the model starts with its caseload but empty wards and waiting lists); rounded to whole days")
    replications: int = param(
        1, unit="replications", lo=1, hi=100000,
        source="assumption: one run per `python -m sim` call; sweeps set more",
        doc="independent replications run by `python -m sim`: replication k draws from streams keyed by (seed, k), the same k in every scenario (common random numbers)")
    event_log: bool = param(
        True, unit="flag", source="assumption: the event log is wanted by default (MODEL.md §3.4)",
        doc="write the vidigi-style event log (Parquet)")
    timeseries: bool = param(
        True, unit="flag", source="assumption: daily series are wanted by default (MODEL.md §3.4)",
        doc="write daily time series (Parquet)")
    queue_growth_min_rise: float = param(
        1.0, unit="persons or days (the queue's own unit)", lo=0.0, hi=1e9,
        source="assumption: a queue that rises by less than one person (or one day of lead time) over the results "
               "window is not growing in any sense that matters to a planner",
        doc="queue-growth guard (sim/queue_growth.py): the last quarter's mean must exceed the first quarter's by more than this")
    queue_growth_rise_share: float = param(
        0.25, unit="share of the queue's mean level", lo=0.0, hi=100.0,
        source="assumption: noise around a settled level rarely moves four successive quarter means upwards by a quarter "
               "of the level; a queue that keeps filling does so easily",
        doc="queue-growth guard: the rise from the first to the last quarter must also exceed this share of the mean level")


# --------------------------------------------------------------------------------------------------
# Catchment and synthetic population
# --------------------------------------------------------------------------------------------------
@dataclass
class PopulationConfig:
    name: str = param("randers", unit="label", source="Slides l.245-246", doc="catchment preset name")
    sources: dict[str, str] = param(
        {}, unit="parameter -> source", source="assumption: presets cite a source for each value they change",
        doc="provenance of the values a preset in configs/population/ overrides")
    inhabitants: int = param(
        225_000, unit="persons", lo=100, hi=10_000_000, source="Slides l.246",
        doc="inhabitants of the catchment (Randers health cluster)")
    general_practitioners: int = param(
        146, unit="GPs", lo=1, hi=100_000, source="Slides l.246", doc="general practitioners in the catchment")
    gps_per_practice: float = param(
        2.0, unit="GPs per practice", lo=1.0, hi=20.0,
        source="assumption: Danish general practice is mostly solo or small partnership practices; 2 gives 73 practices for Randers",
        doc="practice size; practices are the GeneralPractice agents")
    municipality_names: list[str] = param(
        ["Randers", "Favrskov", "Syddjurs", "Norddjurs"], unit="names", source="Slides l.245",
        doc="municipalities of the catchment; each is a Municipality agent")
    municipality_shares: list[float] = param(
        [0.44, 0.22, 0.18, 0.16], unit="share of inhabitants", lo=0.0, hi=1.0,
        source="assumption: rough relative sizes of the four municipalities (Statistics Denmark order of magnitude); the slides give only the names",
        doc="share of inhabitants living in each municipality (sums to 1)")
    adult_share: float = probability(
        0.79, unit="share of inhabitants aged 18+",
        source="assumption: Danish age structure (about 4 in 5 inhabitants are adults)")
    adult_age_band_shares: list[float] = param(
        [0.33, 0.42, 0.18, 0.07], unit=f"share of adults {_PER_AGE_BAND}", lo=0.0, hi=1.0, length=4,
        source="assumption: Danish adult age structure, rounded")
    prevalence_copd: list[float] = probability(
        [0.002, 0.03, 0.09, 0.11], length=4, unit=f"probability {_PER_AGE_BAND} at average frailty",
        source="assumption: Danish register orders of magnitude for diagnosed COPD; SST 2013 l.2376 (multimorbidity is the rule) is met through the shared frailty term")
    prevalence_t2d: list[float] = probability(
        [0.01, 0.06, 0.14, 0.15], length=4, unit=f"probability {_PER_AGE_BAND} at average frailty",
        source="assumption: Danish register orders of magnitude for type 2 diabetes")
    prevalence_heart_disease: list[float] = probability(
        [0.003, 0.03, 0.12, 0.22], length=4, unit=f"probability {_PER_AGE_BAND} at average frailty",
        source="assumption: Danish register orders of magnitude for ischaemic heart disease and heart failure")
    prevalence_smi: list[float] = probability(
        [0.012, 0.012, 0.008, 0.006], length=4, unit=f"probability {_PER_AGE_BAND} at average frailty",
        source="assumption: about 1% of adults with schizophrenia-spectrum or bipolar disorder (VIVE 2018 l.2528-2529 names the diagnoses)")
    prevalence_dementia: list[float] = probability(
        [0.0, 0.002, 0.03, 0.16], length=4, unit=f"probability {_PER_AGE_BAND} at average frailty",
        source="assumption: dementia prevalence rises steeply after 80 (Danish orders of magnitude)")
    frailty_shape: float = param(
        1.2, unit="gamma shape (variance = 1/shape)", lo=0.1, hi=1000.0,
        source="assumption: a shared frailty term clusters conditions so that multimorbidity is 'more the rule than the exception' (SST 2013 l.2375-2377) and rises with age",
        doc="each person's condition probabilities are multiplied by a gamma(shape, 1/shape) frailty")
    substance_misuse_given_smi: float = probability(
        0.3, source="assumption: dual diagnosis is common among people with severe mental illness (VIVE 2018 l.2531, l.2561-2566 use it as an ACT criterion)")
    vulnerable_share: float = probability(
        0.15, unit="probability that a chronic patient is socially vulnerable",
        source="assumption: a minority of chronic patients has social problems that hamper care (VIVE 2018 l.2124-2126)")
    vulnerable_multiplier_smi: float = param(
        3.0, unit="odds ratio", lo=0.0, hi=100.0,
        source="assumption: social vulnerability concentrates in severe mental illness (VIVE 2018 l.3520: 96% on disability pension)")
    pam_shares: list[float] = param(
        [0.12, 0.23, 0.38, 0.27], unit=f"share of chronic patients {_PER_PAM}", lo=0.0, hi=1.0, length=4,
        source="assumption: patient activation of non-vulnerable chronic patients; PAM scale 1-4 as in VIVE 2018 l.2254-2256")
    pam_shares_vulnerable: list[float] = param(
        [0.41, 0.30, 0.20, 0.09], unit=f"share of vulnerable chronic patients {_PER_PAM}", lo=0.0, hi=1.0, length=4,
        source="VIVE 2018 l.2262 (PAM-1 share 41% at baseline in the Symphony target group); other levels assumption")
    incidence_per_1000: float = param(
        7.0, unit="new chronic patients per 1,000 inhabitants per year", lo=0.0, hi=1000.0,
        source="assumption: set so that incidence roughly balances deaths and moves and the caseload stays stable over five years (new patients are drawn weighted by exit rate, so they replace exits like for like)")
    mortality: list[float] = probability(
        [0.002, 0.008, 0.03, 0.10], length=4, unit=f"deaths per patient-year {_PER_AGE_BAND}",
        source="assumption: Danish mortality orders of magnitude for people with chronic disease")
    mortality_per_extra_condition: float = param(
        1.3, unit="rate ratio per condition beyond the first", lo=0.0, hi=10.0,
        source="assumption: multimorbidity raises mortality")
    move_out_rate: float = param(
        0.02, unit="moves out of the catchment per patient-year", lo=0.0, hi=1.0,
        source="assumption: a small yearly outflow of patients to other regions")


# --------------------------------------------------------------------------------------------------
# Capacity owned by the agents
# --------------------------------------------------------------------------------------------------
@dataclass
class CapacityConfig:
    medical_beds_per_1000: float = param(
        1.0, unit="beds per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: acute medical beds sized so baseline occupancy is about 85-90%, as in Danish medical wards",
        doc="beds of the medical ward (somatic admissions)")
    psychiatric_beds_per_1000: float = param(
        0.19, unit="beds per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: psychiatric beds sized so baseline occupancy is about 80-90% (a small ward needs more slack than a large one for the same wait)",
        doc="beds of the psychiatric ward (admissions for severe mental illness)")
    unlimited_beds: bool = param(
        False, unit="flag", source="assumption: verification switch (extreme-value tests)",
        doc="give wards unbounded beds (no boarding)")
    gp_consultations_per_gp_day: float = param(
        28.0, unit="consultations per GP per weekday", lo=0.0, hi=1000.0,
        source="assumption: a Danish GP's daily face-to-face and phone consultations, order of magnitude",
        doc="GP appointment capacity; practices are closed at weekends (acute demand then goes to the acute line 1813)")
    gp_acute_share: float = probability(
        0.5, unit="share of GP capacity held for same-day (acute) contacts",
        source="assumption: Danish practices hold part of each day for same-day contacts")
    outpatient_slots_per_1000_week: list[float] = param(
        [0.49, 0.47, 0.72, 0.29, 0.19], unit=f"slots per 1,000 inhabitants per weekday-week {_PER_CONDITION}",
        lo=0.0, hi=10000.0, length=5,
        source="assumption: clinic capacity sized so that baseline utilisation is high (about 90%) and the 30-day right (Region H 2018 l.1447-1448) is met for most but not all new referrals",
        doc="one outpatient clinic per condition; slots are spread over weekdays")
    home_nursing_places_per_1000: float = param(
        0.8, unit="concurrent post-discharge home-nursing places per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: municipal home-nursing capacity for newly discharged patients, sized so some discharges wait (delayed-discharge days, VIVE 2018 l.2274)",
        doc="split between municipalities by population share")
    unlimited_capacity: bool = param(
        False, unit="flag", source="assumption: verification switch (extreme-value tests)",
        doc="unbounded beds, GP time, outpatient slots and home-nursing places: every wait is zero")


# --------------------------------------------------------------------------------------------------
# Usual-care pathways: disease dynamics, patient behaviour, clinical decisions
# --------------------------------------------------------------------------------------------------
@dataclass
class PathwayConfig:
    # -- disease dynamics ------------------------------------------------------------------------
    deterioration_rate: list[float] = param(
        [0.5, 0.18, 0.3, 0.4, 0.25], unit=f"deteriorations per patient-year in a stable phase {_PER_CONDITION}",
        lo=0.0, hi=100.0, length=5,
        source="assumption: exacerbation frequencies of Danish chronic patients, order of magnitude; calibrated to admission rates")
    deterioration_age_ratio: list[float] = param(
        [0.8, 1.0, 1.2, 1.5], unit=f"rate ratio {_PER_AGE_BAND}", lo=0.0, hi=100.0, length=4,
        source="assumption: older patients deteriorate more often")
    deterioration_pam_ratio: list[float] = param(
        [1.5, 1.2, 1.0, 0.85], unit=f"rate ratio {_PER_PAM}", lo=0.0, hi=100.0, length=4,
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
        [0.55, 0.70, 0.85, 0.92], length=4, unit=f"probability of contacting the GP about a moderate deterioration {_PER_PAM}",
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
        [5.0, 4.5, 5.0, 18.0, 7.0], unit=f"days (mean length of stay) {_PER_CONDITION}", lo=0.01, hi=365.0, length=5,
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
        "lognormal", unit="lognormal | exponential",
        source="assumption: lognormal as for patients; exponential is there for the Erlang-C verification",
        doc="distribution of background lengths of stay")
    # -- discharge and handoffs -------------------------------------------------------------------
    p_home_nursing: list[float] = probability(
        [0.05, 0.10, 0.30, 0.55], length=4, unit=f"probability of discharge to home nursing {_PER_AGE_BAND}",
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
        [0.3, 0.25, 0.4, 0.6, 0.3], length=5, unit=f"probability a patient is followed in the hospital clinic {_PER_CONDITION}",
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


# --------------------------------------------------------------------------------------------------
# Unit costs (DKK). The documents give none: Danish orders of magnitude, each an assumption.
# --------------------------------------------------------------------------------------------------
@dataclass
class CostConfig:
    name: str = param("danish_2024", unit="label", source="assumption: a label naming the unit-cost table used in reports", doc="unit-cost table")
    bed_day: float = param(
        4500.0, unit="DKK per bed day (medical ward)", lo=0.0, hi=1e7,
        source="assumption: Danish DRG tariffs put a medical bed day in the low thousands of DKK (VIVE 2018 research notes: bed days in the thousands)")
    bed_day_psychiatric: float = param(
        5000.0, unit="DKK per bed day", lo=0.0, hi=1e7, source="assumption: psychiatric bed days cost about as much as medical ones")
    delayed_discharge_day: float = param(
        2200.0, unit="DKK per day, paid by the municipality", lo=0.0, hi=1e7,
        source="assumption: Danish municipalities pay the region a daily fee for patients ready for discharge who wait for municipal care (færdigbehandlingstakst), order of magnitude")
    ed_visit: float = param(
        2800.0, unit="DKK per emergency-department visit", lo=0.0, hi=1e7, source="assumption: Danish DAGS-tariff order of magnitude")
    outpatient_visit: float = param(
        1900.0, unit="DKK per outpatient visit", lo=0.0, hi=1e7, source="assumption: Danish DAGS-tariff order of magnitude")
    outpatient_phone_contact: float = param(
        400.0, unit="DKK per phone or portal contact with the clinic", lo=0.0, hi=1e7,
        source="assumption: a nurse's or doctor's phone consultation, a fraction of a visit (DAGS telephone-consultation order of magnitude)")
    pro_questionnaire_review: float = param(
        150.0, unit="DKK per returned PRO questionnaire", lo=0.0, hi=1e7,
        source="assumption: about ten minutes of a nurse's time to review the algorithm's score and act on it, plus the portal's running cost")
    gp_consultation: float = param(
        320.0, unit="DKK per GP consultation", lo=0.0, hi=1e7,
        source="assumption: GP fee per consultation plus a share of capitation, hundreds of DKK (PLO fee schedule order of magnitude)")
    ed_boarding_day: float = param(
        4500.0, unit="DKK per day a patient waits in the acute admission unit for a ward bed, paid by the hospital", lo=0.0, hi=1e7,
        source="assumption: a patient waiting for a bed takes a trolley, nursing and doctors' time in the acute admission unit, "
               "about what a medical bed day costs (bed_day); plausible range 3,000-7,000",
        doc="boarding is costed by the hour, so a queue for beds is never free")
    transfer: float = param(
        2500.0, unit="DKK per transfer of an admitted patient to another hospital, paid by the region", lo=0.0, hi=1e7,
        source="assumption: patient transport between hospitals by ambulance or sitting transport and the staff time of the "
               "transfer; plausible range 1,500-5,000")
    elsewhere_price_ratio: float = param(
        1.1, unit="price of care bought elsewhere relative to the own unit cost", lo=0.0, hi=10.0,
        source="assumption: another region's hospital or a private clinic is paid the DRG/DAGS tariff, which covers overheads "
               "the own marginal cost leaves out; plausible range 1.0-1.4",
        doc="applied to bed days at another hospital and outpatient visits elsewhere (the extended free choice of hospital)")
    home_nursing_day: float = param(
        600.0, unit="DKK per day of post-discharge home nursing", lo=0.0, hi=1e7,
        source="assumption: about one home-nursing hour a day at municipal hourly prices in the hundreds of DKK")
    # -- capacity costs: paid for capacity whether it is used or not (capacity moves, sim/capacity_calendar.py)
    capacity_bed_day: float = param(
        3000.0, unit="DKK per medical bed available per day", lo=0.0, hi=1e7,
        source="assumption: staffing and overhead of an open medical bed, about two-thirds of the activity cost of a bed day (costs.bed_day); paid whether the bed is used or not",
        doc="what keeping a medical bed open costs; closing beds frees this amount (capacity moves)")
    capacity_bed_day_psychiatric: float = param(
        3300.0, unit="DKK per psychiatric bed available per day", lo=0.0, hi=1e7,
        source="assumption: as capacity_bed_day, in proportion to the psychiatric bed-day cost")
    capacity_outpatient_slot: float = param(
        1200.0, unit="DKK per ordinary outpatient slot offered", lo=0.0, hi=1e7,
        source="assumption: clinic staff time of one visit, below the visit tariff (costs.outpatient_visit) that also covers tests; paid whether the slot is booked or not")
    capacity_subacute_slot: float = param(
        2500.0, unit="DKK per sub-acute outpatient slot offered", lo=0.0, hi=1e7,
        source="assumption: a slot held free for sub-acute patients within days needs specialist time and diagnostics on standby, about twice an ordinary slot (Region H 2018 l.1115-1116 on holding slots free)")
    capacity_gp_slot: float = param(
        300.0, unit="DKK per GP consultation slot offered (same-day or planned)", lo=0.0, hi=1e7,
        source="assumption: GP time of one consultation, near the fee per consultation (costs.gp_consultation); added GP capacity is paid whether used or not")
    capacity_home_nursing_place_day: float = param(
        500.0, unit="DKK per post-discharge home-nursing place available per day", lo=0.0, hi=1e7,
        source="assumption: municipal home-nursing staff kept for one place, below the cost of a used day (costs.home_nursing_day)")
    municipal_acute_bed_day: float = param(
        2500.0, unit="DKK per occupied municipal acute bed day, paid by the municipality", lo=0.0, hi=1e7,
        source="assumption: 24-hour municipal nursing with a doctor on call costs about half a medical bed day (bed_day) and a little more than the delayed-discharge fee (delayed_discharge_day); no figure in the sources",
        doc="per occupied bed day, allocated to the patient; empty staffed beds cost municipal_acute_vacant_bed_day_share of it")
    municipal_acute_vacant_bed_day_share: float = probability(
        0.8, unit="share of municipal_acute_bed_day an empty staffed municipal acute bed still costs",
        source="assumption: a 24-hour unit is staffed for its beds whether they are used or not; only consumables, meals and doctor visits follow the patient",
        doc="0 costs occupied days only; the vacant cost goes to the municipality, allocated to the unit's patients by their bed days")


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms I: teams with a caseload (coordinators, complex-care team, ACT team)
# --------------------------------------------------------------------------------------------------
PLACEMENTS = ("hospital", "general_practice", "municipality", "cross_sector")
PAYER_OF_PLACEMENT = {"hospital": "hospital", "general_practice": "general_practice",
                      "municipality": "municipality", "cross_sector": "hospital"}


@dataclass
class CoordinatorConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    kind: str = param(
        "holistic", unit="holistic | specialised",
        source="VIVE 2018 l.2365-2440 (specialised relay coordinators vs holistic cross-pathway coordinators)",
        doc="specialised: one coordinator per condition the patient has (disease-specific); holistic: one for the patient")
    functions: int = param(
        1, unit="coordinator functions per patient", lo=1, hi=10,
        source="Buch (DSI) l.1549-1569 (one patient can have several coordinators, e.g. in hospital, general practice and municipality, who must coordinate among themselves)",
        doc="holistic design: this many separate coordinator functions, each with the staff of staff_per_100k and its own caseload, take the same patients; the specialised design gives one per condition instead (functions must then be 1)")
    placement: str = param(
        "hospital", unit="hospital | general_practice | municipality | cross_sector",
        source="Buch (DSI) l.389-435 (key worker in general practice, hospital case manager, municipal, cross-sector)",
        doc="where the coordinator is employed: decides who pays and whose time coordination calls take")
    targeting: str = param(
        "high_tier", unit="high_tier | high_or_moderate_tier | prior_use | everyone",
        source="SST 2013 l.1944-1956 (coordination helps when given to the weakest; to everyone it is a disruptive, cost-increasing link)",
        doc="who is referred: patients of the high (or high and moderate) risk tier when discharged, patients discharged with enough admissions in the past year, or every chronic patient (at entry)")
    prior_use_min_admissions: int = param(
        2, unit="admissions in the previous 365 days", lo=1, hi=100,
        source="Buch (DSI) l.1307-1317 (objective referral criteria such as admission frequency)")
    staff_per_100k: float = param(
        10.0, unit="coordinators (FTE) per 100,000 inhabitants", lo=0.0, hi=100000.0,
        source="assumption: SST 2013 l.1987-1990 (one or two coordinators in a small municipality); 10 per 100,000 (about 22 for Randers) lets the high tier be taken on at discharge with a modest waiting list")
    caseload_per_staff: int = param(
        40, unit="active cases per FTE", lo=0, hi=100000,
        source="assumption: holistic coordinators have a low caseload (VIVE 2018 l.2435-2440); research notes suggest 15-40 (holistic) to 50-60 (Guided Care)")
    case_days: float = param(
        180.0, unit="days (0 = open-ended)", lo=0.0, hi=36500.0,
        source="SST 2013 l.1779-1780 (follow-up for half a year after discharge); Buch (DSI) l.1635-1661 (goal-defined closure makes room for new referrals)",
        doc="goal-defined cases close after this time; 0 keeps cases open until the patient leaves")
    contact_interval_days: float = param(
        14.0, unit="days between planned contacts", lo=0.5, hi=3650.0,
        source="assumption: regular telephone follow-up (SST 2013 l.1905-1908)")
    p_detect_at_contact: float = probability(
        0.15, unit="probability a contact catches an ongoing unstable phase and gets it treated",
        source="assumption: a coordinator's call can catch a deterioration (SST 2013 l.1905-1908), but the Swedish care coach's effect came mainly from shorter stays, not fewer admissions (SST 2013 l.1917)")
    information_access: float = probability(
        0.7, unit="share of the patient's discharges the coordinator learns of in time",
        source="Buch (DSI) l.917-937 (without information access coordination becomes manual contacts and disruption)")
    p_handoff_repair: float = probability(
        0.6, unit="probability the coordinator prevents a failing discharge handoff it covers",
        source="assumption: the controller role repairs missed follow-ups (Buch (DSI) l.1148-1150); system problems remain (Buch (DSI) l.1898-1912)")
    navigation_effect: float = probability(
        0.3, unit="share of the gap to certain care-seeking closed for enrolled patients",
        source="assumption: guides and octopus roles help patients find their way (Buch (DSI) l.1138-1164)")
    mandate: bool = param(
        True, unit="flag",
        source="VIVE 2018 l.2377-2378 (specialised coordinators decide on or recommend services); VIVE 2018 l.2463-2466 (coordinators need decision authority)",
        doc="with a mandate the coordinator arranges home nursing during the admission (no wait for a place at discharge) and the ward can discharge earlier")
    early_discharge_days: float = param(
        1.5, unit="days of length of stay saved when follow-up at home is secured", lo=0.0, hi=365.0,
        source="assumption: calibrated towards the Swedish care coach, whose effect came mostly from shorter stays (SST 2013 l.1916-1919)")
    follow_up_after_discharge_days: float = param(
        3.0, unit="days from discharge to the coordinator's call", lo=0.0, hi=365.0,
        source="assumption: a call within days of discharge (SST 2013 l.1779-1780: the coordinator follows the citizen from discharge)")
    partner_slots_per_discharge: float = param(
        1.0, unit="GP appointment slots used per coordinated discharge", lo=0.0, hi=100.0,
        source="Buch (DSI) l.917-937 (coordination takes the partners' time too)",
        doc="the coordinator's call to the GP takes a planned slot from the practice")
    cost_per_staff_year: float = param(
        550000.0, unit="DKK per FTE-year incl. overhead", lo=0.0, hi=1e8,
        source="assumption: Danish nurse salary with overhead, order of magnitude (VIVE 2018 research notes: 0.45-0.65m DKK per FTE)")


@dataclass
class ComplexCareTeamConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    catchment_per_team: float = param(
        40000.0, unit="inhabitants per team", lo=1000.0, hi=1e8, source="VIVE 2018 l.2156-2157 (a team covers 30,000-50,000)")
    staff_per_team: float = param(
        5.0, unit="FTE per team", lo=0.0, hi=1000.0,
        source="assumption: VIVE 2018 l.2158-2161 lists practice manager, GP, pharmacist, health coach, specialist nurses and a psychiatry contact, several part-time")
    caseload_per_staff: int = param(
        25, unit="active cases per FTE", lo=0, hi=100000,
        source="assumption: intensive work with the most complex patients (VIVE 2018 l.2148-2149)")
    targeting: str = param(
        "complex", unit="complex | high_tier", source="VIVE 2018 l.2148-2149, l.2161-2163 (the most complex, frequently admitted citizens)",
        doc="complex: high tier with two or more conditions")
    case_days: float = param(
        0.0, unit="days (0 = open-ended)", lo=0.0, hi=36500.0,
        source="assumption: the team keeps its most complex patients (VIVE 2018 l.2247-2249: a clearer allocation of responsibility)")
    p_handoff_fail_municipality_with_plan: float = probability(
        0.03, unit="probability the handoff to home nursing fails with a joint discharge plan",
        source="VIVE 2018 l.2226-2227 (explicit handover to home care is a success factor); value assumption")
    p_handoff_fail_gp_with_plan: float = probability(
        0.05, unit="probability the handoff to the GP fails with a joint discharge plan",
        source="VIVE 2018 l.2161-2163 (joint discharge and post-admission plan); value assumption")
    contact_interval_days: float = param(
        30.0, unit="days between planned contacts", lo=0.5, hi=3650.0, source="assumption: monthly review of each patient's plan")
    follow_up_after_discharge_days: float = param(
        3.0, unit="days from discharge to the team's follow-up contact", lo=0.0, hi=365.0,
        source="assumption: the joint post-admission plan starts within days (VIVE 2018 l.2161-2163)")
    p_detect_at_contact: float = probability(
        0.4, unit="probability a contact catches an ongoing unstable phase",
        source="assumption: a multidisciplinary team with a GP catches more than a coordinator's call")
    cost_per_staff_year: float = param(
        650000.0, unit="DKK per FTE-year incl. overhead", lo=0.0, hi=1e8,
        source="assumption: a mixed clinical team (nurses, part-time GP and pharmacist) costs more per FTE than a nurse")
    payer: str = param("hospital", unit="hospital | general_practice | municipality",
                       source="assumption: the hospital initiated and ran Symphony's teams (VIVE 2018 l.2080-2083)")


@dataclass
class ActTeamConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    teams_per_100k: float = param(
        0.45, unit="teams per 100,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: one team for the Randers catchment (225,000) at the default; a smaller catchment gets a share of a team")
    staff_per_team: float = param(10.0, unit="staff per team", lo=0.0, hi=1000.0, source="VIVE 2018 l.2600, l.2657-2658 (8-12, about 10)")
    caseload_per_staff: int = param(8, unit="citizens per staff member", lo=0, hi=100000,
                                    source="VIVE 2018 l.2671-2672 (at most 10 citizens per staff member); 8 leaves room for the hotline rota")
    min_admissions_2y: int = param(4, unit="psychiatric admissions in 2 years", lo=0, hi=1000, source="VIVE 2018 l.2561-2566 (at least 4 admissions)")
    min_bed_days_2y: float = param(40.0, unit="psychiatric bed days in 2 years", lo=0.0, hi=10000.0, source="VIVE 2018 l.2561-2566 (at least 50, later 40, bed days)")
    misuse_qualifies: bool = param(
        False, unit="flag",
        source="VIVE 2018 l.2561-2568: the rule reads 'and/or misuse', but the Falster register extraction still found too few citizens, so misuse did not qualify on its own; set true for the dual-diagnosis model (l.2531)",
        doc="severe mental illness with substance misuse qualifies without the admission criteria")
    contact_interval_days: float = param(3.5, unit="days between contacts", lo=0.1, hi=3650.0,
                                         source="assumption: intensive outreach, about twice a week (VIVE 2018 l.2669-2742)")
    p_detect_at_contact: float = probability(
        0.02, unit="probability a contact catches an ongoing unstable phase",
        source="assumption: frequent contacts by a team that knows the citizen (VIVE 2018 l.2652-2667), but admissions stayed about the same in the Norwegian trial (l.3625-3627), so each contact rarely averts a crisis")
    p_crisis_handled_at_home: float = probability(
        0.05, unit="probability an acute psychiatric crisis is handled by the team (hotline, home visit) without the ED",
        source="assumption: VIVE 2018 l.2684-2690 (the 24-hour hotline 'has prevented admissions' in patients' view); admissions changed little in the Norwegian trial (l.3625-3627), so the share is small")
    stay_days_saved_share: float = probability(
        0.5, unit="share of a psychiatric stay the team saves by taking over early",
        source="VIVE 2018 l.3625-3627 (bed days strongly reduced while admissions stayed about the same); value assumption")
    dropout_per_year: float = param(0.2, unit="dropouts per citizen-year", lo=0.0, hi=100.0,
                                    source="VIVE 2018 l.2587-2592 (up to half drop out over the project); 0.2 per year gives about a third over two years")
    cost_per_citizen_year: float = param(107000.0, unit="DKK per citizen-year", lo=0.0, hi=1e8,
                                         source="VIVE 2018 l.3657-3658 (107,000 DKK per citizen-year incl. 15% overhead)")
    payer: str = param("municipality", unit="hospital | general_practice | municipality",
                       source="assumption: Danish ACT teams are run jointly; the cost is booked to the municipality (social psychiatry) here")


@dataclass
class HealthCoachConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    coaches_per_practice: float = param(2.0, unit="coaches per practice", lo=0.0, hi=100.0,
                                        source="VIVE 2018 l.2176 (two health coaches per enhanced-primary-care team)")
    fte_per_coach: float = probability(0.5, unit="FTE per coach", source="VIVE 2018 l.2183-2185 (many work half-time as coach)")
    caseload_per_fte: int = param(80, unit="active patients per FTE", lo=0, hi=100000,
                                  source="assumption: between ACT intensity (10) and navigation-only roles; research notes suggest 50-150")
    targeting: str = param("moderate_tier", unit="moderate_tier | high_or_moderate_tier",
                           source="VIVE 2018 l.2117-2126, l.2148-2150 (the moderately complex 18%, found on risk lists, l.2215-2217)")
    case_days: float = param(365.0, unit="days (0 = open-ended)", lo=0.0, hi=36500.0,
                             source="assumption: a year of coaching with a structured plan (VIVE 2018 l.2173-2177)")
    contact_interval_days: float = param(21.0, unit="days between coaching contacts", lo=0.5, hi=3650.0,
                                         source="assumption: regular contact in the clinic or at home (VIVE 2018 l.2209-2213)")
    p_activation_step: float = probability(
        0.027, unit="probability a coaching contact raises the patient's PAM level by one",
        source="calibrated to the relative fall of the PAM-1 share in a year of coaching, 41% -> 26% (-37%, VIVE 2018 l.2262): (1-0.027)^17 contacts = 0.63; the reference is checked, not pasted")
    p_detect_at_contact: float = probability(0.15, unit="probability a contact catches an ongoing unstable phase",
                                             source="assumption: coaches are chosen for social rather than clinical skills (VIVE 2018 l.2187-2188)")
    p_call_handled: float = probability(
        0.4, unit="probability the coach handles an enrolled patient's call about a moderate deterioration instead of the GP",
        source="VIVE 2018 l.2234-2239 (coaches took a large part of acute calls off the GPs); value assumption")
    training_gp_slots_per_practice_week: float = param(
        4.0, unit="planned GP slots per practice per week", lo=0.0, hi=1000.0,
        source="VIVE 2018 l.2234-2239 (an initial heavy time investment by the practices, quickly earned back); value assumption")
    training_days: float = param(180.0, unit="days", lo=0.0, hi=3650.0,
                                 source="assumption: the first months of the roll-out (VIVE 2018 l.2242: all practices within about 9 months)")
    cost_per_fte_year: float = param(480000.0, unit="DKK per FTE-year incl. overhead", lo=0.0, hi=1e8,
                                     source="assumption: municipal care staff salary with overhead (VIVE 2018 research notes: 0.45-0.65m DKK per FTE)")


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms II: value-based (needs-based) instead of fixed controls
# --------------------------------------------------------------------------------------------------
@dataclass
class ControlPolicyConfig:
    policy: str = param(
        "fixed", unit="fixed | needs_based | pro_triggered",
        source="Region H 2018 l.147-200, l.1049-1144 (fixed controls, e.g. yearly, vs patient-initiated, needs-based follow-up); l.164-166, l.924-933 (a PRO form scored by an algorithm estimates the need for treatment)",
        doc="needs_based: eligible patients are switched at their next fixed control and then contact the clinic themselves; "
            "pro_triggered: eligible patients are switched at their next fixed control to a periodic questionnaire whose positive score books a visit")
    min_pam: int = param(
        3, unit="PAM level", lo=1, hi=4,
        source="Region H 2018 l.848-850 (only patients who can manage their disease and judge their need for contact); judged by activation, so some vulnerable patients qualify",
        doc="patients at or above this activation level are judged able to self-manage")
    p_switch_at_control: float = probability(
        0.8, unit="probability an eligible patient is offered and switched at a fixed control",
        source="Region H 2018 l.402-414 (switched at the next fixed visit, at a calm pace); research notes suggest 0.5-1.0")
    p_contact_given_need: float = probability(
        0.9, unit="probability a switched patient contacts the clinic about a moderate deterioration",
        source="Region H 2018 l.1105-1108 (patients contact when there is a real need); l.823-829 (reasons some do not); research notes 0.85-0.95")
    contact_vulnerable_ratio: float = probability(
        0.6, unit="multiplier on the contact probability for vulnerable patients",
        source="Region H 2018 l.823-829 (vulnerable patients may not contact); research notes 0.4-0.7 of the general probability")
    contact_delay_mean_days: float = param(
        3.0, unit="days", lo=0.0, hi=365.0, source="assumption: research notes suggest 1-7 days, median about 3 (no figure in Region H 2018)")
    p_handled_by_phone: float = probability(
        0.3, unit="probability a nurse or doctor settles the contact by phone or portal without a visit",
        source="Region H 2018 l.539-543, l.1125-1127 (contacts handled by nurses, by phone or portal); value assumption")
    p_detect_by_phone: float = probability(
        0.3, unit="probability a phone contact catches and treats an ongoing unstable phase",
        source="assumption: less than a visit (p_detect_at_control)")
    subacute_reserve_share: float = probability(
        0.1, unit="share of each clinic's slots held for patient-initiated (sub-acute) contacts",
        source="Region H 2018 l.1115-1116, l.650-652 (free slots for sub-acute patients must always be available); research notes 0-0.3")
    release_unused_reserve: bool = param(
        True, unit="flag", source="Region H 2018 l.652-658 (unused reserve slots could serve wait-listed patients: the dilemma)",
        doc="unused reserve slots of tomorrow are released to new referrals and controls each day")
    # -- PRO-triggered controls ----------------------------------------------------------------------
    pro_interval_days: float = param(
        182.0, unit="days between questionnaires", lo=1.0, hi=3650.0,
        source="assumption: a half-yearly questionnaire replaces the annual control (Region H 2018 l.924-933 sends PRO forms several times after treatment without an interval); with specificity 0.8 a quarterly form would book more false-alarm visits than the controls it replaces",
        doc="a PRO-followed patient is asked to fill in the questionnaire at this interval")
    pro_response_probability: float = probability(
        0.85, unit="probability a PRO-followed patient returns a questionnaire",
        source="assumption: most but not all patients answer; non-response is what makes silent patients (Region H 2018 l.836-843)")
    pro_sensitivity: float = probability(
        0.8, unit="probability the scoring algorithm flags a patient in an unstable phase",
        source="assumption: research notes propose 0.8 (Region H 2018 gives no figure; l.164-166 names 'a recognised algorithm')")
    pro_specificity: float = probability(
        0.8, unit="probability the scoring algorithm does not flag a stable patient",
        source="assumption: research notes propose 0.8; false positives book visits that find nothing")
    # -- outreach to silent patients -------------------------------------------------------------------
    outreach_after_days: float = param(
        0.0, unit="days without contact with the clinic (0 = no outreach)", lo=0.0, hi=3650.0,
        source="Region H 2018 l.836-843 (outreach to patients who should have contacted but did not; needs data on who has not been in contact, which participants doubted the records give); research notes suggest 180 days when the data exist",
        doc="the clinic phones a needs-based or PRO-followed patient it has not heard from for this long")


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms II: telemonitoring at home (SST 2013 §6.1 telemedicine)
# --------------------------------------------------------------------------------------------------
@dataclass
class TelemonitoringConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    mode: str = param(
        "substitution", unit="substitution | parallel",
        source="SST 2013 l.392-397, l.3770-3782 (telemedicine must replace existing services or it runs as a parallel system and a cost-increasing service extension)",
        doc="substitution: enrolled patients' fixed outpatient controls stop (unless the patient keeps them); parallel: controls go on as before")
    conditions: list[str] = param(
        ["copd"], unit="condition names",
        source="SST 2013 l.3817-3819 (the reported effects are mainly for COPD; TeleCare Nord, Silkeborg, Telekat)",
        doc="conditions whose patients are offered home monitoring")
    places_per_1000: float = param(
        15.0, unit="monitored patients per 1,000 inhabitants (caseload places)", lo=0.0, hi=1000.0,
        source="assumption: a large-scale roll-out with room for nearly every hospital-followed or recently admitted COPD patient (about 600 places for 40,000 inhabitants; SST 2013 l.375-379, l.3883-3887: large scale is where telemedicine can replace traditional capacity)")
    review_interval_days: float = param(
        7.0, unit="days between reviews of the transmitted readings", lo=0.1, hi=365.0,
        source="assumption: the call centre reacts to missing and abnormal readings (SST 2013 l.3749-3751); weekly measurement and review is a common simple set-up")
    p_detect_per_review: float = probability(
        0.25, unit="probability a review catches an ongoing unstable phase and gets it treated (a call and a treatment change)",
        source="assumption: home readings show a deterioration within a few weeks (mean unstable phase 75 days), so a weekly review catches about a quarter of ongoing ones; not calibrated: the resulting fall in monitored patients' admissions (about -20%, docs/scenario-checks.md) is compared with SST 2013 l.3845-3860 (readmissions -50% Silkeborg, preliminary; target 70% of usual care, TeleCare Nord)")
    p_keep_controls: float = probability(
        0.3, unit="probability an enrolled patient keeps the fixed controls under substitution",
        source="SST 2013 l.3778-3782 (patients want to come to controls as much as possible, so cutting visits takes an active effort); TeleCare Nord targeted outpatient visits at 70% of usual care (l.3858); value assumption")
    enrol_after_discharge: bool = param(
        True, unit="flag",
        source="SST 2013 l.3821-3824 (the largest readmission effect is in the sickest COPD patients), so patients discharged after an admission for the condition are offered monitoring too")
    cost_per_patient_year: float = param(
        2500.0, unit="DKK per monitored patient-year (equipment, data, call-centre time)", lo=0.0, hi=1e8,
        source="assumption: a simple solution (SST 2013 l.3889-3895: simple solutions are cheaper and can be kept for life); no price in the sources. At this price the prevented admissions pay for it even in a parallel system; above about 3,700 DKK only substitution pays, as SST 2013 l.3770-3776 warns")
    payer: str = param(
        "municipality", unit="hospital | general_practice | municipality",
        source="SST 2013 l.2277-2290 (a municipal call centre with hospital specialist supervision runs the monitoring)")


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms II: how general practice refers
# --------------------------------------------------------------------------------------------------
@dataclass
class ReferralConfig:
    ratio: float = param(
        1.0, unit="multiplier on every GP referral probability", lo=0.0, hi=10.0,
        source="Slides l.41-44 (if 90/10 becomes 85/15, referrals to hospital rise by 50%: ratio 1.5)",
        doc="1 is today's practice; 1.5 moves the GPs from closing 90% of contacts to closing 85%")


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms III: who gets the outpatient clinics' free slots (Region H 2018 l.1441-1485)
# --------------------------------------------------------------------------------------------------
SLOT_ALLOCATION_POLICIES: tuple[str, ...] = ("book_on_referral", "longest_wait_first", "max_30day_compliance")


@dataclass
class SlotAllocationConfig:
    policy: str = param(
        "book_on_referral", unit="book_on_referral | longest_wait_first | max_30day_compliance",
        source="Region H 2018 l.1475-1485 (the dilemma: a free slot to the patient who has waited 31 days, or to one who "
               "has waited 24 and can still be seen within the 30-day right, l.1447-1448, followed up as a binary share, l.1449-1455); "
               "book_on_referral is usual care in this model",
        doc="book_on_referral: each new referral books the first free slot when it is made; the other two put new referrals "
            "(chronic and background) on the clinic's waiting list and allocate the free slots within the look-ahead each day: "
            "oldest referral first, or as many as possible within the 30-day right first (those already past it get what is left)")
    look_ahead_days: int = param(
        14, unit="days", lo=1, hi=365,
        source="assumption: clinics plan and send appointments about two weeks ahead; Region H 2018 l.1110-1112 says the "
               "planning horizon gets shorter when patients are seen by need, so it is a knob",
        doc="the booking horizon of the waiting-list policies: each day the free slots from today to today + look_ahead_days - 1 "
            "are allocated; slots further ahead wait for later days (controls keep being booked at their due date)")


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms IV: capacity moves as a declarative capacity calendar (sim/capacity_calendar.py)
# --------------------------------------------------------------------------------------------------
CAPACITY_RESOURCES: tuple[str, ...] = ("medical_beds", "psychiatric_beds", "outpatient_slots", "subacute_slots",
                                       "gp_planned_slots", "home_nursing_places")
PER_CONDITION_RESOURCES: tuple[str, ...] = ("outpatient_slots", "subacute_slots")
FRICTION_OUTCOMES: tuple[str, ...] = ("lost", "delayed")


@dataclass
class CapacityChangeConfig:
    """One dated change of a named capacity in the calendar ``scenario.capacity_moves.calendar``.

    The change is ``share`` x the preset's capacity of that resource plus ``per_1000`` x inhabitants/1000
    (so a calendar works for every catchment preset); beds and home-nursing places are rounded to whole
    units. Alternatively ``funded_by`` names an earlier entry that frees capacity: this entry's amount is
    then derived so that its capacity cost equals ``funded_share`` of the cost that entry frees
    (budget-neutral when the shares of all entries it funds sum to 1).
    """
    name: str = param("", unit="label", source="assumption: entries are named so that errors, moves and KPIs can refer to them",
                      doc="unique name of the entry (a move is reported in group move=<name>)")
    day: int = param(0, unit="day counted from the start of the results window (negative: during the warm-up)",
                     lo=-36500, hi=36500, source="assumption: a plan is dated relative to the results window so it works for every warm-up",
                     doc="the change takes effect at the start of this day")
    resource: str = param("medical_beds", unit="medical_beds | psychiatric_beds | outpatient_slots | subacute_slots | gp_planned_slots | home_nursing_places",
                          source="assumption: the capacities MODEL.md §3.3 names for capacity moves")
    condition: str = param("", unit="copd | t2d | heart_disease | smi | dementia (outpatient and sub-acute slots only)",
                           source="assumption: one outpatient clinic per condition (MODEL.md §3.2)")
    share: float = param(0.0, unit="change as a share of the preset's capacity of this resource (sub-acute slots: of the clinic's slots)",
                         lo=-1.0, hi=100.0, source="assumption: a share of the preset scales with every catchment")
    per_1000: float = param(0.0, unit="change per 1,000 inhabitants (beds, places, or slots per week)", lo=-1e6, hi=1e6,
                            source="assumption: an absolute change scaled by the catchment")
    funded_by: str = param("", unit="name of an entry that frees capacity",
                           source="assumption: a budget-neutral move derives the receiving amount from the capacity cost freed (MODEL.md §3.3)")
    funded_share: float = probability(1.0, unit="share of the freed capacity cost this entry receives",
                                      source="assumption: by default the whole freed amount moves")


@dataclass
class CapacityMovesConfig:
    calendar: list[CapacityChangeConfig] = param(
        [], unit="list of dated capacity changes",
        source="VIVE 2018 l.2279-2280 (a medical ward closed, resources moved to sub-acute outpatient slots); Slides l.203-206 (move resources to patients' needs)",
        doc="the capacity calendar: each entry changes one capacity on one day; empty in usual care")
    ward_closure_notice_days: float = param(
        14.0, unit="days", lo=0.0, hi=3650.0,
        source="assumption: a ward stops filling beds that are to close a couple of weeks ahead, so few patients remain when they close",
        doc="before beds close the ward admits only up to the coming capacity; patients still above it at the closure are discharged early")
    gp_referrals_use_subacute: bool = param(
        True, unit="flag",
        source="VIVE 2018 l.2279-2280 (the freed resources went to sub-acute outpatient slots); Region H 2018 l.1115-1116 (free slots for sub-acute patients)",
        doc="a GP referral of a deteriorating patient gets a sub-acute slot when the calendar opened sub-acute slots in that clinic and one is free no later than an ordinary slot")
    transfer_conditions: list[str] = param(
        [], unit="conditions whose stable hospital-followed patients are handed to GP follow-up",
        source="Region H 2018 l.1131-1133, l.1543-1546 (COPD and type 2 diabetes controls moved to GPs under the 2018 GP agreement)",
        doc="empty: no transfer")
    transfer_from_day: int = param(
        0, unit="day counted from the start of the results window", lo=-36500, hi=36500,
        source="assumption: the transfer starts when the results window starts, like the calendar's days")
    p_transfer_at_control: float = probability(
        0.4, unit="probability a stable patient of a transfer condition is handed to the GP at a control",
        source="assumption: SST 2013 l.3029-3033 (22% of hospital-treated COPD patients could be followed in primary care by the stratification criteria); the 2018 agreement aimed wider (Region H 2018 l.1543-1546)")
    transfer_friction: float = probability(
        0.5, unit="share of transfers that fail (the GP follow-up is not set up, or late)",
        source="Slides l.205-206 (OK18: hard in practice to move patients); value assumption from the research notes (0.5, range 0.2-0.9)")
    friction_outcome: str = param(
        "lost", unit="lost | delayed",
        source="assumption: a failed transfer either loses the patient from planned follow-up or starts it late",
        doc="lost: no GP check is booked; delayed: the first GP check comes transfer_delay_days late")
    transfer_delay_days: float = param(
        180.0, unit="days", lo=0.0, hi=3650.0,
        source="assumption: a late transfer is noticed at about half a control interval")


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms V: acute care outside the hospital and after discharge (capacity moves)
# --------------------------------------------------------------------------------------------------
@dataclass
class MunicipalAcuteBedsConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)",
                          doc="each municipality opens acute beds (akutpladser) as an alternative to admission")
    beds_per_1000: float = param(
        0.1, unit="municipal acute beds per 1,000 inhabitants", lo=0.0, hi=1000.0,
        source="assumption: Danish municipalities run acute places (Slides l.147-149, l.235; VIVE 2018 l.1864-1865) in the order of one bed per 10,000 inhabitants; the sources give no number. Only modelled chronic patients use them here",
        doc="split between municipalities by population share and rounded; every municipality must get at least one bed")
    min_age: float = param(
        65.0, unit="years (age at the deterioration)", lo=0.0, hi=120.0,
        source="Region H 2018 l.552-556 (the elderly medical patient who stays home overnight with municipal nursing); VIVE 2018 l.1864-1865 (acute places for patients at risk of admission)",
        doc="younger patients go the usual way")
    p_suitable: float = probability(
        0.3, unit="probability an eligible acute somatic deterioration needs no hospital diagnostics or treatment",
        source="Region H 2018 l.1196-1205, l.552-556 (only patients able to stay out of hospital; the research notes put them at 0.2-0.4 of acute medical presentations); value assumption",
        doc="severe mental illness never goes to a municipal acute bed")
    p_used_by_gp: float = probability(
        0.8, unit="probability a GP who would refer a suitable patient to the ED uses a free municipal acute bed instead",
        source="assumption: the GP knows the patient and the local offer (VIVE 2018 l.1896-1897: stronger collaboration between municipal nursing and general practice); not all GPs use it")
    p_used_by_acute_line: float = probability(
        0.5, unit="probability the acute line (1813, ambulance, home nurse's call) sends a suitable patient to a free municipal acute bed",
        source="Region H 2018 l.442-446 (redirecting 1813 calls is 'not established yet', so 0 today); 0.5 assumes the redirect is set up and used for half of suitable calls")
    stay_mean_days: float = param(
        4.0, unit="days (mean length of a municipal acute stay, lognormal with pathways.los_cv)", lo=0.01, hi=365.0,
        source="assumption: short stays of a few days, somewhat shorter than a medical admission (pathways.los_mean_days)")
    p_transfer_to_hospital: float = probability(
        0.15, unit="probability a municipal acute stay ends in transfer on to hospital (via the ED)",
        source="assumption: a minority of municipal acute patients escalate; Slides l.151-152 (effect unclear) argue against assuming none")
    transfer_mean_days: float = param(
        1.0, unit="days (mean time from admission to transfer, exponential, capped at the stay)", lo=0.0, hi=365.0,
        source="assumption: patients who do not settle are sent on early, mostly within the first day")
    p_stabilises: float = probability(
        0.6, unit="probability a municipal acute stay ends an unstable phase",
        source="assumption: less than a hospital admission (pathways.p_inpatient_stabilises = 0.8) without hospital diagnostics")
    p_handoff_fail: float = probability(
        0.05, unit="probability the handoff home after a municipal acute stay fails",
        source="assumption: the handoff stays inside the municipality's own nursing (one organisation), well below the hospital-to-municipality failure (pathways.p_handoff_fail_municipality = 0.18)")


@dataclass
class ExtendedResponsibilityConfig:
    enabled: bool = param(
        False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)",
        doc="Region Hovedstaden's extended treatment responsibility: the discharging ward answers enquiries after discharge (Slides l.140-142)")
    window_hours: float = param(
        72.0, unit="hours after discharge", lo=0.0, hi=720.0, source="Slides l.140-142 (extended treatment responsibility 72 hours)")
    p_enquiry_routed: float = probability(
        0.5, unit="probability an acute deterioration within the window reaches the discharging ward (GP, home nurse or 1813 calls it) instead of the ED",
        source="assumption: the GP, the home nurse and 1813 must all know and use the arrangement (Region H 2018 l.442-446: redirects of 1813 calls are not automatic); Slides l.151-152 (access improves, effect unclear) argue for a modest value")
    p_admit_directly: float = probability(
        0.75, unit="probability the ward admits the patient directly (skipping the ED) when an enquiry about an acute deterioration reaches it",
        source="assumption: the same clinical need decides as in the ED (pathways.p_admit_from_ed = 0.75); the ward settles the rest at a distance",
        doc="otherwise the ward advises or adjusts treatment and the patient stays home")
    p_advice_stabilises: float = probability(
        0.3, unit="probability the ward's advice or treatment change ends an unstable phase",
        source="assumption: as a clinic's phone contact (scenario.controls.p_detect_by_phone = 0.3); Slides l.151-152 (unclear regarding effect)")
    p_handoff_repair: float = probability(
        0.25, unit="probability a failing discharge handoff is caught within the window (the GP or home nurse asks the ward and gets what was missing)",
        source="assumption: the enquiries the hospital handles after discharge (Slides l.140-142) include the receivers' questions; modest because the receiver must notice the gap in time (Slides l.151-152: effect unclear)")


# --------------------------------------------------------------------------------------------------
# Scenario: switches mechanisms on (combine several with scenario=[a,b])
# --------------------------------------------------------------------------------------------------
@dataclass
class ScenarioConfig:
    name: str = param("baseline", unit="label", source="assumption: usual care is the reference scenario (MODEL.md §3.2)",
                      doc="label in outputs; combined scenarios get their names joined with '+'")
    description: str = param(
        "Usual care: fixed annual controls, no coordinators, activity as today.", unit="text",
        source="assumption: plain-language description for reports")
    sources: dict[str, str] = param(
        {}, unit="parameter -> source", source="assumption: scenario files cite a source for each value they change",
        doc="provenance of the values a file in configs/scenario/ sets")
    coordinator: CoordinatorConfig = field(default_factory=CoordinatorConfig)
    complex_care_team: ComplexCareTeamConfig = field(default_factory=ComplexCareTeamConfig)
    act_team: ActTeamConfig = field(default_factory=ActTeamConfig)
    health_coach: HealthCoachConfig = field(default_factory=HealthCoachConfig)
    gp_referral: ReferralConfig = field(default_factory=ReferralConfig)
    controls: ControlPolicyConfig = field(default_factory=ControlPolicyConfig)
    telemonitoring: TelemonitoringConfig = field(default_factory=TelemonitoringConfig)
    slot_allocation: SlotAllocationConfig = field(default_factory=SlotAllocationConfig)
    capacity_moves: CapacityMovesConfig = field(default_factory=CapacityMovesConfig)
    municipal_acute_beds: MunicipalAcuteBedsConfig = field(default_factory=MunicipalAcuteBedsConfig)
    extended_responsibility: ExtendedResponsibilityConfig = field(default_factory=ExtendedResponsibilityConfig)
    specialisation: SpecialisationConfig = field(default_factory=SpecialisationConfig)


@dataclass
class RiskTierConfig:
    high_share: float = probability(
        0.10, unit="share of chronic patients in the high tier",
        source="assumption: SST 2013 research proposal of three levels with 10% in the top level (SST 2013 l.144-147 describes stratification, shares not given)")
    moderate_share: float = probability(
        0.25, unit="share of chronic patients in the moderate tier", source="assumption: as for the high tier (25% in the middle level)")


# --------------------------------------------------------------------------------------------------
# Payment and steering: how the region pays its hospital (config group `payment`)
# --------------------------------------------------------------------------------------------------
PAYMENT_MODELS = ("drg", "budget", "mixed")


@dataclass
class PaymentConfig:
    name: str = param("drg", unit="label", source="assumption: a label naming the payment preset used in reports",
                      doc="payment preset (configs/payment/)")
    sources: dict[str, str] = param(
        {}, unit="parameter -> source", source="assumption: payment presets cite a source for each value they change",
        doc="provenance of the values a file in configs/payment/ sets")
    model: str = param(
        "drg", unit="drg | budget | mixed",
        source="Region H 2018 l.1497-1498 (hospitals and departments are budgeted on DRG activity); l.1014-1016, l.1509-1531 (tariff-exempt and partly exempt departments)",
        doc="drg: the hospital earns DRG/DAGS tariffs per admission, bed day and contact; budget: a fixed frame independent of activity (takstfri); mixed: a tariff share of the hospital under DRG, the rest under the frame (double steering)")
    tariff_share: float = probability(
        1.0, unit="share of the hospital's revenue that follows activity (theta)",
        source="Region H 2018 l.1509-1531 (three projects fully exempt, five partly, two not exempt)",
        doc="must be 1 under drg, 0 under budget and strictly between 0 and 1 under mixed")
    # -- DRG/DAGS tariffs. The documents give none (Region H 2018 §4.3 of the research notes); values are set so
    # the tariff value of an average chronic stay or visit is close to its unit cost (costs.*), as DRG rates are
    # computed from average costs, except phone contacts, which earn less than they cost.
    tariff_admission_medical: float = param(
        15000.0, unit="DKK per medical admission (DRG episode)", lo=0.0, hi=1e8,
        source="assumption: DRG pays mainly per episode; 15,000 plus 1,500 per bed day gives 22,500 DKK for a 5-day stay, its cost at costs.bed_day",
        doc="shorter stays cost less but earn almost the same, so under DRG a shorter stay improves the hospital's result")
    tariff_bed_day_medical: float = param(
        1500.0, unit="DKK per medical bed day (until ready for discharge)", lo=0.0, hi=1e7,
        source="assumption: a per-day component standing in for the long-stay payment beyond the DRG trim point; days waiting for home nursing earn nothing (the municipality's fee, costs.delayed_discharge_day, covers them)")
    tariff_admission_psychiatric: float = param(
        18000.0, unit="DKK per psychiatric admission", lo=0.0, hi=1e8,
        source="assumption: as for medical stays; 18,000 plus 4,000 per day gives 90,000 DKK for an 18-day stay, its cost at costs.bed_day_psychiatric")
    tariff_bed_day_psychiatric: float = param(
        4000.0, unit="DKK per psychiatric bed day (until ready for discharge)", lo=0.0, hi=1e7,
        source="assumption: long psychiatric stays are paid mostly per day")
    tariff_ed_visit: float = param(
        2800.0, unit="DKK per emergency-department visit", lo=0.0, hi=1e7,
        source="assumption: DAGS acute ambulatory tariff equal to the visit's cost (costs.ed_visit); paid also when the visit leads to an admission (a simplification)")
    tariff_outpatient_visit: float = param(
        1900.0, unit="DKK per attended outpatient visit", lo=0.0, hi=1e7,
        source="assumption: DAGS outpatient tariff equal to the visit's cost (costs.outpatient_visit); Region H 2018 l.1558-1560 (the settlement counts patients treated and how much)")
    tariff_phone_contact: float = param(
        150.0, unit="DKK per phone or portal contact", lo=0.0, hi=1e7,
        source="assumption: telephone and virtual contacts earn a small tariff, below their cost (costs.outpatient_phone_contact), which makes the bias to physical attendance that Region H 2018 l.343-347, l.570-575 describe")
    # -- the tariff-exempt frame
    budget_frame_per_patient_year: float = param(
        8000.0, unit="DKK per chronic patient-year", lo=0.0, hi=1e8,
        source="assumption: Region H 2018 does not say how exempt budgets were set (research notes §4.1); the frame is frozen at about the baseline's DRG value per patient-year (measured 7,700-8,030 DKK on the small and Randers catchments, seeds 0-1, one year), so moving usual care from DRG to a budget is itself roughly neutral",
        doc="the hospital's frame under budget = this x the chronic patients' patient-years in the window; it does not change with admissions, bed days or visits (with common random numbers patient-years differ between scenarios only where a death or move waits for the end of an episode, about 0.01%)")
    # -- transfers between payers
    municipal_cofinancing_share: float = probability(
        0.2, unit="share of the DRG value of hospital activity the municipality pays the region",
        source="Slides l.75-85 (municipal co-financing moves about DKK 23 bn a year and is well documented not to work); the flat share is an assumption of that order against regional health spending",
        doc="an accounting transfer from municipalities to the region, computed under every payment model; no agent responds to it (Slides l.77-83)")
    # -- steering that changes behaviour (agent decisions); 0 keeps the behaviour of every scenario as it is
    p_fill_reserve_with_controls: float = probability(
        0.0, unit="probability per control booking under full DRG (scaled by tariff_share)",
        source="Region H 2018 l.1536-1541 (clinics not exempt 'must still achieve activity': empty slots are 'scary'); size not in the document, so off by default",
        doc="with a sub-acute reserve (needs-based controls), the clinic books a fixed control into a reserve slot with probability p x tariff_share when the reserve offers a slot no later than the ordinary book: the slot then surely earns a tariff, and the reserve is eroded before sub-acute patients call")
    adoption_elasticity: float = probability(
        0.0, unit="fall in the switch probability per unit tariff_share",
        source="Region H 2018 l.1262-1274, l.577-581 (partly exempt departments found it harder to cut attendances for fear of the financial consequences); research notes suggest 0.5-1.0; 0 keeps the value_based_controls scenario as it is",
        doc="the clinician offers needs-based follow-up with probability scenario.controls.p_switch_at_control x (1 - elasticity x tariff_share)")
    # -- reporting
    neutrality_tolerance: float = probability(
        0.01, unit="share of the baseline's total cost of chronic care",
        source="assumption: a change of net spending within 1% of the cost of chronic care is within a regional budget's usual slack; it sets when a paired difference counts as budget neutral",
        doc="a scenario is budget neutral for a payer when the 95% CI of the paired difference in that payer's net spending lies within +/- this tolerance, or contains 0")


@dataclass
class SimConfig:
    seed: int = param(0, unit="integer", lo=0, hi=2**63 - 1, source="assumption: user-chosen root seed (SeedSequence entropy)")
    run: RunConfig = field(default_factory=RunConfig)
    population: PopulationConfig = field(default_factory=PopulationConfig)
    capacity: CapacityConfig = field(default_factory=CapacityConfig)
    overload: OverloadConfig = field(default_factory=OverloadConfig)
    pathways: PathwayConfig = field(default_factory=PathwayConfig)
    costs: CostConfig = field(default_factory=CostConfig)
    risk_tiers: RiskTierConfig = field(default_factory=RiskTierConfig)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    payment: PaymentConfig = field(default_factory=PaymentConfig)


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------
class ConfigError(ValueError):
    """A composed configuration is invalid. ``problems`` lists one message per offending key."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid configuration:\n  - " + "\n  - ".join(problems))


def iter_params(cls: type | None = None, prefix: str = ""):
    """Yield ``(dotted_key, dataclass_field)`` for every leaf parameter of the schema."""
    cls = cls or SimConfig
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(hints[f.name]):
            yield from iter_params(hints[f.name], key + ".")
        else:
            yield key, f


def _get(cfg: Any, dotted: str) -> Any:
    node = cfg
    for part in dotted.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def _fmt_range(meta: dict) -> str:
    lo, hi = meta.get("min"), meta.get("max")
    unit = meta.get("unit", "")
    if lo is not None and hi is not None:
        return f"allowed range [{lo:g}, {hi:g}] ({unit})"
    if lo is not None:
        return f"must be >= {lo:g} ({unit})"
    return f"must be <= {hi:g} ({unit})"


def validate(cfg: SimConfig) -> None:
    """Check ranges, list lengths and cross-field rules; raise :class:`ConfigError` naming every bad key."""
    problems: list[str] = []
    for key, f in iter_params():
        meta = f.metadata
        value = _get(cfg, key)
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if meta.get("length") is not None and len(values) != meta["length"]:
            problems.append(f"{key} has {len(values)} values; it needs exactly {meta['length']} ({meta['unit']})")
            continue
        lo, hi = meta.get("min"), meta.get("max")
        for i, v in enumerate(values):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            where = f"{key}[{i}]" if len(values) > 1 or isinstance(value, (list, tuple)) else key
            if not math.isfinite(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
                problems.append(f"{where} = {v!r}: {_fmt_range(meta)}")
    problems += name_problems(cfg)
    if problems:  # the rules below combine values and assume each is in range (inf years cannot be laid out in days)
        raise ConfigError(problems)
    problems += _cross_field_problems(cfg)
    if problems:
        raise ConfigError(problems)


def _cross_field_problems(cfg: SimConfig) -> list[str]:
    p = []
    pop, cap, path = cfg.population, cfg.capacity, cfg.pathways
    if len(pop.municipality_names) != len(pop.municipality_shares):
        p.append(f"population.municipality_shares has {len(pop.municipality_shares)} values but "
                 f"population.municipality_names has {len(pop.municipality_names)}: give one share per municipality")
    for key in ("municipality_shares", "adult_age_band_shares", "pam_shares", "pam_shares_vulnerable"):
        total = sum(getattr(pop, key))
        if abs(total - 1.0) > 1e-6:
            p.append(f"population.{key} sums to {total:.6g}: the shares must sum to 1")
    dest = sum(path.background_referral_destinations)
    if dest > 1.0 + 1e-9:
        p.append(f"pathways.background_referral_destinations sums to {dest:.6g}: it must be at most 1")
    if cfg.risk_tiers.high_share + cfg.risk_tiers.moderate_share > 1.0:
        p.append("risk_tiers.high_share + risk_tiers.moderate_share exceeds 1: the tiers cannot overlap")
    if pop.general_practitioners < pop.gps_per_practice:
        p.append(f"population.general_practitioners = {pop.general_practitioners} is fewer than "
                 f"population.gps_per_practice = {pop.gps_per_practice:g}: a catchment needs at least one practice")
    if path.background_los_distribution not in ("lognormal", "exponential"):
        p.append(f"pathways.background_los_distribution = {path.background_los_distribution!r}: allowed values are 'lognormal', 'exponential'")
    if cfg.run.warmup_days > 0 and cfg.run.warmup_days >= cfg.run.years * 365.0 * 10:
        p.append("run.warmup_days is more than ten times the horizon run.years: shorten the warm-up")
    for c, slots in enumerate(cap.outpatient_slots_per_1000_week):
        if slots == 0 and not cap.unlimited_capacity:
            p.append(f"capacity.outpatient_slots_per_1000_week[{c}] = 0: a clinic without slots can never see "
                     "its referred and followed patients; give it a positive capacity")
    if cap.gp_consultations_per_gp_day == 0 and not cap.unlimited_capacity:
        p.append("capacity.gp_consultations_per_gp_day = 0: practices without consultations cannot see patients; "
                 "give a positive capacity")
    if not 0.0 < cap.gp_acute_share < 1.0 and not cap.unlimited_capacity:
        p.append(f"capacity.gp_acute_share = {cap.gp_acute_share:g}: both same-day and planned GP capacity are "
                 "needed; the share must lie strictly between 0 and 1")
    sc = cfg.scenario
    co = sc.coordinator
    if co.kind not in ("holistic", "specialised"):
        p.append(f"scenario.coordinator.kind = {co.kind!r}: allowed values are 'holistic', 'specialised'")
    if co.functions > 1 and co.kind == "specialised":
        p.append(f"scenario.coordinator.functions = {co.functions} with kind = 'specialised': the disease-specific design "
                 "already gives one coordinator per condition; use functions = 1, or kind = 'holistic' for several generic functions")
    p += specialisation_problems(cfg)
    if co.placement not in PLACEMENTS:
        p.append(f"scenario.coordinator.placement = {co.placement!r}: allowed values are {', '.join(PLACEMENTS)}")
    if co.targeting not in ("high_tier", "high_or_moderate_tier", "prior_use", "everyone"):
        p.append(f"scenario.coordinator.targeting = {co.targeting!r}: allowed values are high_tier, high_or_moderate_tier, prior_use, everyone")
    if sc.complex_care_team.targeting not in ("complex", "high_tier"):
        p.append(f"scenario.complex_care_team.targeting = {sc.complex_care_team.targeting!r}: allowed values are complex, high_tier")
    for team, payer in (("complex_care_team", sc.complex_care_team.payer), ("act_team", sc.act_team.payer)):
        if payer not in ("hospital", "general_practice", "municipality"):
            p.append(f"scenario.{team}.payer = {payer!r}: allowed values are hospital, general_practice, municipality")
    for team, cfg_team in (("coordinator", co), ("complex_care_team", sc.complex_care_team), ("act_team", sc.act_team)):
        if cfg_team.enabled and cfg_team.caseload_per_staff == 0:
            p.append(f"scenario.{team}.caseload_per_staff = 0 with the team enabled: a team without caseload places "
                     "can never take a patient; give it a positive caseload")
    if co.enabled and co.staff_per_100k == 0:
        p.append("scenario.coordinator.staff_per_100k = 0 with coordinators enabled: give at least some staff")
    if sc.complex_care_team.enabled and sc.complex_care_team.staff_per_team == 0:
        p.append("scenario.complex_care_team.staff_per_team = 0 with the team enabled: give it staff")
    base_refer = max(path.p_gp_refer_background, path.p_gp_refer_deterioration)
    if base_refer * sc.gp_referral.ratio > 1.0:
        p.append(f"scenario.gp_referral.ratio = {sc.gp_referral.ratio:g}: it would make a GP referral probability "
                 f"exceed 1 ({base_refer:g} x {sc.gp_referral.ratio:g}); the largest allowed is {1.0 / base_refer:.3g}")
    if sc.controls.policy not in ("fixed", "needs_based", "pro_triggered"):
        p.append(f"scenario.controls.policy = {sc.controls.policy!r}: allowed values are fixed, needs_based, pro_triggered")
    tm = sc.telemonitoring
    if tm.mode not in ("substitution", "parallel"):
        p.append(f"scenario.telemonitoring.mode = {tm.mode!r}: allowed values are substitution, parallel")
    unknown = [c for c in tm.conditions if c not in CONDITIONS]
    if unknown:
        p.append(f"scenario.telemonitoring.conditions has {', '.join(map(repr, unknown))}: allowed values are {', '.join(CONDITIONS)}")
    if tm.enabled and not tm.conditions:
        p.append("scenario.telemonitoring.conditions is empty with telemonitoring enabled: name at least one condition")
    if tm.enabled and tm.places_per_1000 == 0:
        p.append("scenario.telemonitoring.places_per_1000 = 0 with telemonitoring enabled: give it places, or no patient can be monitored")
    if tm.payer not in ("hospital", "general_practice", "municipality"):
        p.append(f"scenario.telemonitoring.payer = {tm.payer!r}: allowed values are hospital, general_practice, municipality")
    if sc.slot_allocation.policy not in SLOT_ALLOCATION_POLICIES:
        p.append(f"scenario.slot_allocation.policy = {sc.slot_allocation.policy!r}: allowed values are "
                 f"{', '.join(SLOT_ALLOCATION_POLICIES)}")
    hc = sc.health_coach
    if hc.targeting not in ("moderate_tier", "high_or_moderate_tier"):
        p.append(f"scenario.health_coach.targeting = {hc.targeting!r}: allowed values are moderate_tier, high_or_moderate_tier")
    for key in ("coaches_per_practice", "fte_per_coach", "caseload_per_fte"):
        if hc.enabled and getattr(hc, key) == 0:
            p.append(f"scenario.health_coach.{key} = 0 with health coaches enabled: it must be positive, or no patient can be coached")
    act = sc.act_team
    if act.enabled and (act.teams_per_100k == 0 or act.staff_per_team == 0):
        p.append("scenario.act_team.teams_per_100k or staff_per_team = 0 with ACT enabled: give it at least one team with staff")
    if act.enabled and not act.misuse_qualifies and act.min_admissions_2y > 200:
        p.append(f"scenario.act_team.min_admissions_2y = {act.min_admissions_2y}: nobody can have that many admissions "
                 "in two years, so no one would ever be eligible")
    if act.enabled and not act.misuse_qualifies and act.min_bed_days_2y > 730:
        p.append(f"scenario.act_team.min_bed_days_2y = {act.min_bed_days_2y:g}: two years hold only 730 days, "
                 "so no one would ever be eligible")
    if cap.unlimited_capacity and (cap.medical_beds_per_1000 == 0 or cap.psychiatric_beds_per_1000 == 0):
        p.append("capacity.unlimited_capacity is set together with zero beds: choose one")
    p += capacity_problems(cfg) + population_problems(cfg)
    from .capacity_calendar import calendar_problems  # the calendar module needs this schema
    p += calendar_problems(cfg)
    p += _payment_problems(cfg.payment)
    p += _acute_alternative_problems(cfg)
    return p


def municipal_acute_beds(cfg: SimConfig) -> list[int]:
    """Municipal acute beds per municipality: beds per 1,000 inhabitants x the municipality's inhabitants, rounded.
    The one place the number is computed (the model builds its units from it; validation checks it)."""
    per_1000 = cfg.population.inhabitants / 1000.0
    rate = cfg.scenario.municipal_acute_beds.beds_per_1000
    return [int(round(rate * per_1000 * share)) for share in cfg.population.municipality_shares]


def _acute_alternative_problems(cfg: SimConfig) -> list[str]:
    p = []
    mab, ext = cfg.scenario.municipal_acute_beds, cfg.scenario.extended_responsibility
    key = "scenario.municipal_acute_beds"
    if mab.enabled and not cfg.capacity.unlimited_capacity:
        if mab.beds_per_1000 == 0:
            p.append(f"{key}.beds_per_1000 = 0 with municipal acute beds enabled: give the municipalities beds")
        else:
            beds = municipal_acute_beds(cfg)
            pop = cfg.population
            empty = [(name, share) for name, share, n in zip(pop.municipality_names, pop.municipality_shares, beds)
                     if n == 0 and share > 0]
            if empty:
                need = 0.5 / (pop.inhabitants / 1000.0 * min(share for _, share in empty))
                p.append(f"{key}.beds_per_1000 = {mab.beds_per_1000:g} leaves {', '.join(n for n, _ in empty)} without a bed after "
                         f"rounding: it must be at least {need:.3g} for this catchment (every municipality needs one bed)")
    if mab.enabled and mab.p_suitable == 0:
        p.append(f"{key}.p_suitable = 0 with municipal acute beds enabled: no patient could ever be sent to a bed; "
                 "allowed range (0, 1]")
    if mab.enabled and mab.p_used_by_gp == 0 and mab.p_used_by_acute_line == 0:
        p.append(f"{key}.p_used_by_gp and {key}.p_used_by_acute_line are both 0 with municipal acute beds enabled: "
                 "neither the GP nor the acute line would ever use a bed")
    if mab.enabled and mab.min_age > AGE_BAND_EDGES[-1]:
        p.append(f"{key}.min_age = {mab.min_age:g}: no patient is older than {AGE_BAND_EDGES[-1]}, so no one would be eligible")
    key = "scenario.extended_responsibility"
    if ext.enabled and ext.window_hours == 0:
        p.append(f"{key}.window_hours = 0 with extended responsibility enabled: the window must be positive (Slides l.140-142: 72)")
    if ext.enabled and ext.p_enquiry_routed == 0 and ext.p_handoff_repair == 0:
        p.append(f"{key}.p_enquiry_routed and {key}.p_handoff_repair are both 0 with extended responsibility enabled: "
                 "the ward would never be asked anything")
    return p


def _payment_problems(pay: PaymentConfig) -> list[str]:
    """The payment model and its tariff share must agree (a half-set mixed model is a typo, not a choice)."""
    if pay.model not in PAYMENT_MODELS:
        return [f"payment.model = {pay.model!r}: allowed values are {', '.join(PAYMENT_MODELS)}"]
    theta = pay.tariff_share
    if math.isnan(theta) or not 0.0 <= theta <= 1.0:
        return []  # the range check has named it already
    if pay.model == "drg" and theta != 1.0:
        return [f"payment.tariff_share = {theta:g} with payment.model = drg: under DRG all revenue follows activity, "
                "so the share must be 1 (use payment=mixed for a partial share)"]
    if pay.model == "budget" and theta != 0.0:
        return [f"payment.tariff_share = {theta:g} with payment.model = budget: a tariff-exempt budget has share 0 "
                "(use payment=mixed for a partial share)"]
    if pay.model == "mixed" and not 0.0 < theta < 1.0:
        return [f"payment.tariff_share = {theta:g} with payment.model = mixed: a mixed model needs a share strictly "
                "between 0 and 1, e.g. payment.tariff_share=0.5 (0 is payment=budget, 1 is payment=drg)"]
    return []


def _unknown_keys(node: Any, cls: type, prefix: str = "") -> list[str]:
    """Keys in a composed config that the schema does not have (``+typo=1`` slips past Hydra's struct check)."""
    hints = typing.get_type_hints(cls)
    problems = []
    for key in node.keys():
        if key not in hints:
            valid = ", ".join(sorted(hints))
            problems.append(f"{prefix}{key} is not a parameter; valid keys here: {valid}")
        elif dataclasses.is_dataclass(hints[key]):
            problems += _unknown_keys(node[key], hints[key], f"{prefix}{key}.")
        elif typing.get_origin(hints[key]) is list and dataclasses.is_dataclass(typing.get_args(hints[key])[0]):
            for i, item in enumerate(node[key] or []):  # a list of entries (the capacity calendar)
                if hasattr(item, "keys"):
                    problems += _unknown_keys(item, typing.get_args(hints[key])[0], f"{prefix}{key}[{i}].")
    return problems


def to_sim_config(cfg: DictConfig | SimConfig) -> SimConfig:
    """Turn a composed Hydra/OmegaConf config into a typed :class:`SimConfig` object."""
    if isinstance(cfg, SimConfig):
        return cfg
    problems = _unknown_keys(cfg, SimConfig)
    if problems:
        raise ConfigError(problems)
    merged = OmegaConf.merge(OmegaConf.structured(SimConfig), cfg)
    return OmegaConf.to_object(merged)


def from_overrides(overrides: dict[str, Any] | None = None) -> SimConfig:
    """Build a validated config from schema defaults plus dotted overrides (for tests and notebooks).

    Unknown keys raise, as on the command line: ``from_overrides({"costs.bed_dya": 1})`` fails.
    """
    base = OmegaConf.structured(SimConfig)
    for key, value in (overrides or {}).items():
        # a mapping sets the keys it names inside a section (merge); a list or anything else replaces the value
        OmegaConf.update(base, key, value, merge=isinstance(value, (dict, list)))  # merging a list replaces it, typing its entries
    problems = bool_problems((overrides or {}).items())
    if problems:
        raise ConfigError(problems)
    cfg = to_sim_config(base)
    validate(cfg)
    return cfg

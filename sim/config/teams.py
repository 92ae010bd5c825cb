"""Scenario teams with a caseload: coordinators, complex-care team, ACT team, health coaches
(``scenario.coordinator``, ``scenario.complex_care_team``, ``scenario.act_team``, ``scenario.health_coach``)."""

from __future__ import annotations

import typing
from typing import Literal

from dataclasses import dataclass

from .dimensions import ComplexCareTargeting, CoordinatorTargeting, HealthCoachTargeting, Payer
from .params import param, probability


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms I: teams with a caseload (coordinators, complex-care team, ACT team)
# --------------------------------------------------------------------------------------------------
Placement = Literal["hospital", "general_practice", "municipality", "cross_sector"]
PLACEMENTS: tuple[str, ...] = typing.get_args(Placement)
CoordinatorKind = Literal["holistic", "specialised"]
PAYER_OF_PLACEMENT = {"hospital": "hospital", "general_practice": "general_practice",
                      "municipality": "municipality", "cross_sector": "hospital"}


@dataclass(frozen=True)
class CoordinatorConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    kind: str = param(
        "holistic", choices=CoordinatorKind, unit="holistic | specialised",
        source="VIVE 2018 l.2365-2440 (specialised relay coordinators vs holistic cross-pathway coordinators)",
        doc="specialised: one coordinator per condition the patient has (disease-specific); holistic: one for the patient")
    functions: int = param(
        1, unit="coordinator functions per patient", lo=1, hi=10,
        source="Buch (DSI) l.1549-1569 (one patient can have several coordinators, e.g. in hospital, general practice and municipality, who must coordinate among themselves)",
        doc="holistic design: this many separate coordinator functions, each with the staff of staff_per_100k and its own caseload, take the same patients; the specialised design gives one per condition instead (functions must then be 1)")
    placement: str = param(
        "hospital", choices=Placement, unit="hospital | general_practice | municipality | cross_sector",
        source="Buch (DSI) l.389-435 (key worker in general practice, hospital case manager, municipal, cross-sector)",
        doc="where the coordinator is employed: decides who pays and whose time coordination calls take")
    targeting: str = param(
        "high_tier", choices=CoordinatorTargeting, unit="high_tier | high_or_moderate_tier | prior_use | everyone",
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


@dataclass(frozen=True)
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
        "complex", choices=ComplexCareTargeting, unit="complex | high_tier", source="VIVE 2018 l.2148-2149, l.2161-2163 (the most complex, frequently admitted citizens)",
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
    payer: str = param("hospital", choices=Payer, unit="hospital | general_practice | municipality",
                       source="assumption: the hospital initiated and ran Symphony's teams (VIVE 2018 l.2080-2083)")


@dataclass(frozen=True)
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
    payer: str = param("municipality", choices=Payer, unit="hospital | general_practice | municipality",
                       source="assumption: Danish ACT teams are run jointly; the cost is booked to the municipality (social psychiatry) here")


@dataclass(frozen=True)
class HealthCoachConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    coaches_per_practice: float = param(2.0, unit="coaches per practice", lo=0.0, hi=100.0,
                                        source="VIVE 2018 l.2176 (two health coaches per enhanced-primary-care team)")
    fte_per_coach: float = probability(0.5, unit="FTE per coach", source="VIVE 2018 l.2183-2185 (many work half-time as coach)")
    caseload_per_fte: int = param(80, unit="active patients per FTE", lo=0, hi=100000,
                                  source="assumption: between ACT intensity (10) and navigation-only roles; research notes suggest 50-150")
    targeting: str = param("moderate_tier", choices=HealthCoachTargeting, unit="moderate_tier | high_or_moderate_tier",
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

"""Needs-based and PRO-triggered controls instead of fixed ones (``scenario.controls``)."""

from __future__ import annotations

from typing import Literal

from dataclasses import dataclass

from .params import param, probability


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms II: value-based (needs-based) instead of fixed controls
# --------------------------------------------------------------------------------------------------
ControlPolicy = Literal["fixed", "needs_based", "pro_triggered"]


@dataclass(frozen=True)
class ControlPolicyConfig:
    policy: str = param(
        "fixed", choices=ControlPolicy, unit="fixed | needs_based | pro_triggered",
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

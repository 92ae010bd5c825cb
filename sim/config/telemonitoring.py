"""Telemonitoring at home (``scenario.telemonitoring``)."""

from __future__ import annotations

from typing import Literal

from dataclasses import dataclass

from .dimensions import Condition, Payer
from .params import param, probability


# --------------------------------------------------------------------------------------------------
# Scenario mechanisms II: telemonitoring at home (SST 2013 §6.1 telemedicine)
# --------------------------------------------------------------------------------------------------
TelemonitoringMode = Literal["substitution", "parallel"]


@dataclass(frozen=True)
class TelemonitoringConfig:
    enabled: bool = param(False, unit="flag", source="assumption: off in usual care (MODEL.md §3.3)")
    mode: str = param(
        "substitution", choices=TelemonitoringMode, unit="substitution | parallel",
        source="SST 2013 l.392-397, l.3770-3782 (telemedicine must replace existing services or it runs as a parallel system and a cost-increasing service extension)",
        doc="substitution: enrolled patients' fixed outpatient controls stop (unless the patient keeps them); parallel: controls go on as before")
    conditions: list[str] = param(
        ["copd"], choices=Condition, unit="condition names",
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
        "municipality", choices=Payer, unit="hospital | general_practice | municipality",
        source="SST 2013 l.2277-2290 (a municipal call centre with hospital specialist supervision runs the monitoring)")

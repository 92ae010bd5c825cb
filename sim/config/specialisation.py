"""Schema of the specialisation-dilemma mechanism (``scenario.specialisation``), see
``sim.scenarios.specialisation`` for what each parameter does.

The sources describe the mechanism, not its size (Buch (DSI) l.286-330, l.1820-1834; VIVE 2018
l.2463-2478; research/buch-and-slides.md §4): every number here is an assumption, chosen so that the
curves the sources describe (a U over specialisation, a U over coordinators per patient, an optimum that
moves with complexity) appear with plausible magnitudes. They are teaching values, not calibrated ones.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

from .params import param, probability

CoordinatorLinks = Literal["sequential", "mesh"]
COORDINATOR_LINK_MODES: tuple[str, ...] = typing.get_args(CoordinatorLinks)


@dataclass(frozen=True)
class SpecialisationConfig:
    enabled: bool = param(
        False, unit="flag", source="assumption: off in usual care; the core model's pathway is the reference level",
        doc="switch the mechanism on; at level = reference_level and without coordinators it reproduces usual care exactly")
    level: int = param(
        2, unit="hospital units per condition in a patient's pathway", lo=1, hi=8,
        source="Buch (DSI) l.316-324 (specialised teams raise quality but add units and working relations to a typical pathway)",
        doc="1 = one generalist unit per condition; higher = more specialised units, each one more handoff at a discharge")
    reference_level: int = param(
        2, unit="hospital units per condition", lo=1, hi=8,
        source="assumption: the core model's pathway has a ward and an outpatient clinic per condition",
        doc="the level usual care represents; handoff failure and inpatient quality are the core model's at this level")
    p_unit_handoff_fail: float = probability(
        0.04, unit="probability a handoff between two hospital units fails (at the reference level)",
        source="assumption: research/buch-and-slides.md §4.2 p_struct 0.02-0.10 (lost information between units, Buch (DSI) l.286-298); below the GP handoff's 0.15 because units of one hospital share records")
    erosion_per_unit: float = param(
        0.10, unit="relative rise in every handoff's failure probability per unit above the reference level",
        lo=0.0, hi=1.0,
        source="assumption: research/buch-and-slides.md §4.3 λ 0-0.2; relational knowledge erodes as units multiply (Buch (DSI) l.286-298)")
    quality_gain_rate: float = param(
        0.6, unit="per unit of specialisation level", lo=0.0, hi=10.0,
        source="assumption: research/buch-and-slides.md §4.2 γ = 0.6; specialised teams raise quality (Buch (DSI) l.316-320), with diminishing returns",
        doc="how fast the share of admissions that leave an unstable phase untreated falls with the level")
    untreated_floor: float = probability(
        0.08, unit="share of unstable phases an admission leaves untreated however specialised the units",
        source="assumption: some instability outlasts any stay; must be at most 1 - pathways.p_inpatient_stabilises (0.2)")
    coordinator_scope: int = param(
        3, unit="unit handoffs one coordinator can follow at a discharge", lo=0, hi=100,
        source="assumption: research/buch-and-slides.md §4.3 s 1-5; a cross-sector scope costs effectiveness (Buch (DSI) l.1196-1204)",
        doc="coordinators cover the GP and home-nursing handoffs as before and up to this many handoffs between hospital units (a disease-specific coordinator only those of its condition)")
    system_level_share: float = probability(
        0.3, unit="share of failing handoffs whose cause is system-level (no coordinator can repair them)",
        source="assumption: research/buch-and-slides.md §4.3 σ_sys 0-0.6; system problems are unsolvable at patient level (Buch (DSI) l.1365-1379, l.1898-1904)")
    p_patient_link_fail: float = probability(
        0.02, unit="probability per coordinator and discharge that the patient-coordinator link fails",
        source="assumption: research/buch-and-slides.md §4.3 p_pc 0.01-0.10 (patient not reached or not engaging, Buch (DSI) l.1268-1351)",
        doc="the coordinator does not act, and the patient leaves with one more unresolved interface")
    p_coordinator_link_fail: float = probability(
        0.05, unit="probability a link between two of a patient's coordinators fails at a discharge",
        source="assumption: research/buch-and-slides.md §4.3 p_cc 0.02-0.10; nobody specified how coordinators around one patient cooperate (Buch (DSI) l.1549-1569)")
    coordinator_links: str = param(
        "sequential", choices=CoordinatorLinks, unit="sequential | mesh",
        source="assumption: research/buch-and-slides.md §4.2 (sequential hand-over M-1 links, or all must align M(M-1)/2)",
        doc="how a patient's M coordinators must agree: in a chain (M-1 links) or each with each (M(M-1)/2 links)")
    ward_hours_per_coordinator: float = param(
        2.0, unit="hours a ready patient's bed is held per coordinator to align the discharge", lo=0.0, hi=72.0,
        source="Buch (DSI) l.929-931 (contacting every partner is time-consuming for the function and its partners); size: assumption, research/buch-and-slides.md §4.3 t_partner 0.1-0.5 staff hours per contact, plus waiting for the coordinator's reply",
        doc="partner time on the ward side (the GP side is scenario.coordinator.partner_slots_per_discharge): the stay ends this much later per coordinator of the patient, counted as delayed discharge, so beds are scarcer and boarding grows")
    diffusion: float = param(
        0.2, unit="relative rise in unit-side handoff failure when the patient has a coordinator", lo=0.0, hi=5.0,
        source="Buch (DSI) l.1820-1834 (the many actors assume coordination is now the coordinators' job); size: assumption, research/buch-and-slides.md §4.3 δ 0-0.3")
    management_responsiveness: float = probability(
        0.0, unit="probability per review that management fixes an interface type coordinators reported problems on",
        source="Buch (DSI) l.1834-1844, l.1882-1920 (without management response nothing improves structurally); 0 = the loop is off (assumption)")
    management_review_days: float = param(
        91.0, unit="days between management reviews of reported problems", lo=1.0, hi=3650.0,
        source="assumption: a quarterly review on the slow time scale of organisational learning (Buch (DSI) l.1882-1920)")
    structural_fix_effect: float = probability(
        0.25, unit="relative fall in an interface type's failure probability per structural fix",
        source="assumption: agreements, IT and discharge letters lower structural failure (Buch (DSI) l.691-695); size not in the sources")


def specialisation_problems(cfg) -> list[str]:
    """Cross-field rules of ``scenario.specialisation`` (called from ``sim.config.config_problems``; the allowed links are checked generically)."""
    sp, path = cfg.scenario.specialisation, cfg.pathways
    problems = []
    untreated_reference = 1.0 - path.p_inpatient_stabilises
    if sp.untreated_floor > untreated_reference + 1e-12:
        problems.append(f"scenario.specialisation.untreated_floor = {sp.untreated_floor:g} exceeds the untreated share at the "
                        f"reference level (1 - pathways.p_inpatient_stabilises = {untreated_reference:g}): specialisation "
                        f"cannot make inpatient care worse; allowed range [0, {untreated_reference:g}]")
    return problems

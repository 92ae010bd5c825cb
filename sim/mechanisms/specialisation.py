"""The specialisation dilemma (VIVE 2018 §3.4; Buch (DSI); research/buch-and-slides.md §4).

Specialisation is a property of the pathway every admitted patient passes through, set by
``scenario.specialisation``:

* **Units.** Each of a patient's ``k`` conditions is cared for by ``level`` hospital units. The core
  model's pathway is the ``reference_level`` (a ward and a clinic per condition). Above it, a discharge
  must also be handed to ``(level - reference) * k`` more units: each handoff fails with
  ``p_unit_handoff_fail`` and each unit is one more actor the patient deals with.
* **Relational knowledge erodes** as units multiply (Buch (DSI) l.286-298): every handoff of the
  discharge (to the GP, to home nursing, between units) fails with its probability times
  ``1 + erosion_per_unit * k * max(0, level - reference)`` (below the reference relational knowledge is
  taken as intact: research/buch-and-slides.md §4.2 r(N)).
* **Quality inside a unit rises** with specialisation (Buch (DSI) l.316-320): the share of admissions
  that leave an unstable phase untreated falls from the core model's ``1 - p_inpatient_stabilises`` at
  the reference towards ``untreated_floor``, by ``exp(-quality_gain_rate * (level - reference))``.
* **Coordinators** (every team that covers handoffs or makes a joint discharge plan) repair failing
  handoffs as in the core model, now also up to ``coordinator_scope`` unit handoffs each (a
  disease-specific coordinator only those of its condition), but only the failures that are not
  system-level (``system_level_share``). Each coordinator is one more actor with more interfaces: a
  patient link that can fail (``p_patient_link_fail``: the coordinator does not act and the patient leaves
  with one more loose end), links among the patient's coordinators that can fail
  (``p_coordinator_link_fail``; ``M - 1`` in a chain, ``M(M - 1)/2`` when all must align), partner time
  (GP slots per coordinated discharge, as in the core model, so GP waits grow; ward time: the ready patient
  keeps the bed ``ward_hours_per_coordinator`` per coordinator, so beds are scarcer), and **responsibility
  diffusion**: with a coordinator present the units' own handoffs fail ``1 + diffusion`` times as often
  (Buch (DSI) l.1820-1834).
* **Management loop** (optional): a failure a coordinator would have repaired had it not been
  system-level is reported; at each review management fixes, with probability
  ``management_responsiveness``, each interface type with reports, lowering its failure probability by
  ``structural_fix_effect`` (Buch (DSI) l.1882-1920).

A discharge is an **adverse transition** when the patient leaves with an untreated unstable phase, a
failed handoff or a failed coordinator link; the failures raise the readmission hazard through the core
model's failed-handoff window. Nothing is multiplied onto an outcome.

Switched off, or at the reference level without coordinators, every probability is the core model's
and no draw is added to the core model's streams (the mechanism's own draws use the patient stream
``pathway``): usual care is reproduced exactly.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..agents.discharge import GENERAL_PRACTICE, HOSPITAL_UNIT, INTERFACE_TYPES, MUNICIPALITY
from ..config import CONDITIONS
from .hooks import Mechanism
from ..facts.core import Contact, Handoff, HandoffRepair
from ..facts.specialisation import StructuralFix

if TYPE_CHECKING:
    from ..agents.discharge import DischargeHandoffs
    from ..agents.patient import Patient
    from ..mechanisms.teams import CareTeam
    from ..model import CareModel

__all__ = ["GENERAL_PRACTICE", "HOSPITAL_UNIT", "INTERFACE_TYPES", "MUNICIPALITY", "SpecialisedPathway"]


class SpecialisedPathway(Mechanism):
    """The pathway's specialisation level and what it does to handoffs, inpatient quality and coordinators."""

    name = "specialisation"
    config_sections = ("scenario.specialisation",)
    patient_stream_purposes = ("pathway",)  # specialised units' handoffs and coordinators' links

    def __init__(self, model: CareModel):
        super().__init__(model)
        cfg = model.cfg.scenario.specialisation
        self.cfg = cfg
        self.enabled = cfg.enabled
        self.extra_levels = cfg.level - cfg.reference_level
        untreated_reference = 1.0 - model.cfg.pathways.p_inpatient_stabilises
        self.untreated = min(1.0, cfg.untreated_floor + (untreated_reference - cfg.untreated_floor)
                             * math.exp(-cfg.quality_gain_rate * self.extra_levels))
        self.structural = dict.fromkeys(INTERFACE_TYPES, 1.0)   # lowered by management fixes
        self.reported: set[str] = set()
        self.fixes = 0

    @property
    def active(self) -> bool:
        return True  # coordinators' links are counted in every scenario; switched off nothing else changes

    def add_agents(self) -> None:
        """The management loop reviews reported problems (only where there are teams to report them)."""
        model = self.model
        if self.enabled and self.cfg.management_responsiveness > 0 and model.teams:
            self._rng = model.streams.numpy("management")
            model.env.process(self._management_reviews())

    # -- inside the unit ----------------------------------------------------------------------------
    def p_inpatient_stabilises(self, base: float) -> float:
        """Probability an admission ends an unstable phase: the core model's at the reference level."""
        return 1.0 - self.untreated if self.enabled and self.extra_levels != 0 else base

    # -- handoff failure ----------------------------------------------------------------------------
    def coordinators(self, patient: Patient) -> list[CareTeam]:
        """The patient's coordinating teams (recorded in every scenario; they act on failures only when enabled)."""
        return self.model.hooks.discharge_coordinators(patient)

    def handoff_failure_probabilities(self, handoffs: DischargeHandoffs, p_gp: float,
                                      p_municipality: float) -> tuple[float, float]:
        coordinated = bool(handoffs.coordinators)
        return (self.handoff_failure(p_gp, handoffs.patient, GENERAL_PRACTICE, coordinated),
                self.handoff_failure(p_municipality, handoffs.patient, MUNICIPALITY, coordinated))

    def handoff_failure(self, p: float, patient: Patient, interface: str, coordinated: bool) -> float:
        """A unit-side handoff's failure probability after erosion, diffusion and structural fixes."""
        if not self.enabled:
            return p
        cfg = self.cfg
        factor = 1.0 + cfg.erosion_per_unit * len(patient.conditions) * max(0, self.extra_levels)
        if coordinated:
            factor *= 1.0 + cfg.diffusion
        factor *= self.structural[interface]
        return p if factor == 1.0 else min(1.0, p * factor)

    def alignment_days(self, patient: Patient) -> float:
        """Ward time the patient's coordinators take at discharge: the ready patient keeps the bed meanwhile."""
        if not self.enabled or self.cfg.ward_hours_per_coordinator == 0:
            return 0.0
        return self.cfg.ward_hours_per_coordinator / 24.0 * len(self.coordinators(patient))

    def repair_probability(self, p_repair: float) -> float:
        """A coordinator repairs only failures that are not system-level."""
        return p_repair * (1.0 - self.cfg.system_level_share) if self.enabled else p_repair

    def attempt_repair(self, u: float, p_repair: float, interface: str) -> bool:
        """``u`` is the coordinator's draw. A failure it would repair but for a system-level cause is reported."""
        if u < self.repair_probability(p_repair):
            return True
        if self.enabled and u < p_repair:
            self.reported.add(interface)
        return False

    def patient_link_fails(self, patient: Patient) -> bool:
        return self.enabled and patient.streams.get("pathway").random() < self.cfg.p_patient_link_fail

    # -- the hooks (sim.mechanisms.hooks) -------------------------------------------------------------
    def coordinator_misses_patient(self, patient: Patient) -> bool:
        return self.patient_link_fails(patient)

    def repair_succeeds(self, u: float, p_repair: float, interface: str) -> bool:
        return self.attempt_repair(u, p_repair, interface)

    def after_handoffs(self, handoffs: DischargeHandoffs) -> None:
        patient = handoffs.patient
        handoffs.unit_handoffs, handoffs.failed_units = self.unit_handoffs(patient, handoffs.acting,
                                                                           coordinated=bool(handoffs.coordinators))
        handoffs.links, handoffs.failed_links = self.coordinator_links(patient, handoffs.coordinators)

    # -- the specialised units and the coordinators' own links --------------------------------------
    def unit_handoffs(self, patient: Patient, acting: list[CareTeam], coordinated: bool | None = None) -> tuple[int, int]:
        """Handoffs to the units above the reference level: ``(handoffs, failed after repairs)``.

        Coordinators who act take the handoffs in turn, each up to its scope; a disease-specific one only
        the handoffs of its condition. ``coordinated``: whether the discharge has coordinators (asked if None).
        """
        if not self.enabled or self.extra_levels <= 0:
            return 0, 0
        model, cfg = self.model, self.cfg
        now, rec = model.env.now, model.recorder
        draw = patient.streams.get("pathway")
        if coordinated is None:
            coordinated = bool(self.coordinators(patient))
        p_fail = self.handoff_failure(cfg.p_unit_handoff_fail, patient, HOSPITAL_UNIT, coordinated)
        capacity = {team: cfg.coordinator_scope for team in acting}
        failed_total = 0
        for condition in patient.conditions:
            for j in range(self.extra_levels):
                unit = f"{CONDITIONS[condition]}_unit_{cfg.reference_level + j + 1}"
                rec.fact(Contact(person_id=patient.person_id, time=now, actor=unit))
                failed = draw.random() < p_fail
                team = next((t for t in acting if capacity[t] > 0 and t.acts_on(condition)), None)
                if team is not None:
                    capacity[team] -= 1
                    if failed and self.attempt_repair(draw.random(), team.role.p_handoff_repair, HOSPITAL_UNIT):
                        failed = False
                        rec.fact(HandoffRepair(person_id=patient.person_id, time=now, team=team.name,
                                               target=HOSPITAL_UNIT))
                rec.fact(Handoff(person_id=patient.person_id, time=now, target=HOSPITAL_UNIT, failed=failed))
                failed_total += failed
        return self.extra_levels * len(patient.conditions), failed_total

    def coordinator_links(self, patient: Patient, coordinators: list[CareTeam]) -> tuple[int, int]:
        """Links among the patient's coordinators that must hold at this discharge: ``(links, failed)``.
        They exist in any scenario with several coordinators; they can fail only with the mechanism on."""
        m = len(coordinators)
        links = m * (m - 1) // 2 if self.cfg.coordinator_links == "mesh" else max(0, m - 1)
        if not self.enabled or links == 0:
            return links, 0
        draw = patient.streams.get("pathway")
        failed = sum(draw.random() < self.cfg.p_coordinator_link_fail for _ in range(links))
        return links, failed

    # -- the slow loop ------------------------------------------------------------------------------
    def _management_reviews(self):
        """At each review, each interface type with reported problems is fixed with the responsiveness probability."""
        cfg, env = self.cfg, self.model.env
        while True:
            yield env.timeout(cfg.management_review_days)
            for interface in INTERFACE_TYPES:  # fixed order: the draws do not depend on set ordering
                if interface in self.reported and self._rng.random() < cfg.management_responsiveness:
                    self.structural[interface] *= 1.0 - cfg.structural_fix_effect
                    self.fixes += 1
                    self.model.recorder.fact(StructuralFix(time=env.now, interface=interface))
            self.reported.clear()

"""Discharge handoffs: what a patient leaves hospital with (MODEL.md §3.2, the specialisation dilemma §3.3).

Every discharge hands the patient over to the GP and, with home nursing, to the municipality. Each
handoff can fail (lost information, missing follow-up); a failed handoff raises the patient's
deterioration rate for the post-discharge window (``Patient.deterioration_rate``). A discharge brought
forward under pressure fails more often (``overload.pressure_discharge_handoff_fail_ratio``), and a patient
whose handoff failed at a transfer to another ward or hospital during the stay leaves with the raised risk
of a failed handoff.

Scenario mechanisms act at four moments (``sim.mechanisms.hooks``), in this order: who coordinates the
discharge (``discharge_coordinators``), each handoff's failure probability (``handoff_failure_probabilities``: a joint
discharge plan, a specialised pathway), repairs once the handoffs are drawn (``repair_handoffs``:
coordinators, the ward's 72-hour responsibility) and handoffs and links of their own once these are
recorded (``after_handoffs``: specialised units, coordinators' links). They share one
:class:`DischargeHandoffs` record. Without mechanisms every probability is usual care's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from ..facts.core import Handoff, Transition

if TYPE_CHECKING:
    from .hospital import HospitalWard
    from .patient import Patient
    from .ward_pressure import StayResult

# who receives a handoff (labels in the handoff fact tables)
GENERAL_PRACTICE, MUNICIPALITY, HOSPITAL_UNIT = "general_practice", "municipality", "hospital_unit"
INTERFACE_TYPES = (GENERAL_PRACTICE, MUNICIPALITY, HOSPITAL_UNIT)


@dataclass
class DischargeHandoffs:
    """One discharge's handoffs, as the hooks see and change them."""

    patient: Patient
    ward: HospitalWard
    now: float
    to_home_nursing: bool
    coordinators: list = field(default_factory=list)  # agents coordinating the discharge
    failed_gp: bool = False
    failed_municipality: bool = False
    acting: list = field(default_factory=list)        # coordinators who acted on this discharge
    failed_patient_links: int = 0                     # coordinators who heard but did not reach the patient
    unit_handoffs: int = 0                            # handoffs to further units (and of them failed)
    failed_units: int = 0
    links: int = 0                                    # links among the coordinators (and of them failed)
    failed_links: int = 0


def discharge_handoffs(ward: HospitalWard, patient: Patient, stay: StayResult) -> bool:
    """Hand the patient over; returns True if the patient leaves with a failed handoff or coordinator link."""
    model = ward.model
    now, rec, path, hooks = model.env.now, model.recorder, model.cfg.pathways, model.hooks
    handoffs = DischargeHandoffs(patient, ward, now, stay.to_home_nursing)
    to_home_nursing = stay.to_home_nursing
    draw = patient.streams.get("handoff")
    handoffs.coordinators = hooks.discharge_coordinators(patient)
    rushed = ward.pressure.discharge_handoff_ratio(stay.under_pressure)
    p_gp, p_mun = hooks.handoff_failure_probabilities(handoffs, path.p_handoff_fail_gp, path.p_handoff_fail_municipality)
    p_gp, p_mun = min(1.0, rushed * p_gp), min(1.0, rushed * p_mun)
    handoffs.failed_gp = draw.random() < p_gp
    handoffs.failed_municipality = to_home_nursing and draw.random() < p_mun
    hooks.repair_handoffs(handoffs)
    rec.fact(Handoff(person_id=patient.person_id, time=now, target=GENERAL_PRACTICE, failed=handoffs.failed_gp))
    if to_home_nursing:
        rec.fact(Handoff(person_id=patient.person_id, time=now, target=MUNICIPALITY,
                         failed=handoffs.failed_municipality))
    hooks.after_handoffs(handoffs)
    failed_links = handoffs.failed_links + handoffs.failed_patient_links
    failed_handoffs = int(handoffs.failed_gp) + int(handoffs.failed_municipality) + handoffs.failed_units
    # a failed handoff at a transfer during the stay (recorded then) goes home with the patient too
    failed = failed_handoffs > 0 or failed_links > 0 or stay.transfer_failed
    n_coordinators = len(handoffs.coordinators)
    rec.fact(Transition(person_id=patient.person_id, time=now,
                        handoffs=1 + int(to_home_nursing) + handoffs.unit_handoffs, failed_handoffs=failed_handoffs,
                        coordinators=n_coordinators, coordinator_links=handoffs.links + n_coordinators,
                        failed_links=failed_links, unstable=patient.unstable, adverse=failed or patient.unstable))
    return failed

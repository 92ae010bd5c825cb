"""Discharge handoffs: what a patient leaves hospital with (MODEL.md §3.2, the specialisation dilemma §3.3).

Every discharge hands the patient over to the GP and, with home nursing, to the municipality. Each
handoff can fail (lost information, missing follow-up); a failed handoff raises the patient's
deterioration rate for the post-discharge window (``Patient.deterioration_rate``). A complex-care team's
joint discharge plan makes the handover explicit (lower failure probability); a coordinator who learns
of the discharge in time can rescue a failing handoff, and its calls take the GP's time (a planned slot
each). How specialised the pathway is (``model.specialisation``) adds handoffs between hospital units,
erodes every handoff, and makes coordinators actors with links of their own; at its reference level
without coordinators it changes nothing. A discharge brought forward under pressure fails more often
(``overload.pressure_discharge_handoff_fail_ratio``), and a patient whose handoff failed at a transfer to another
ward or hospital during the stay leaves with the raised risk of a failed handoff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..scenarios.specialisation import GENERAL_PRACTICE, MUNICIPALITY
from ..facts.core import Contact, GpContact, Handoff, HandoffRepair, Transition

if TYPE_CHECKING:
    from .hospital import HospitalWard
    from .patient import Patient
    from .ward_pressure import StayResult


def discharge_handoffs(ward: HospitalWard, patient: Patient, stay: StayResult) -> bool:
    """Hand the patient over; returns True if the patient leaves with a failed handoff or coordinator link."""
    model = ward.model
    now, rec, path, pathway = model.env.now, model.recorder, model.cfg.pathways, model.specialisation
    to_home_nursing = stay.to_home_nursing
    draw = patient.streams.get("handoff")
    plan = [t for t in patient.teams if t.role.joint_discharge_plan]
    coordinators = pathway.coordinators(patient)
    rushed = ward.pressure.discharge_handoff_ratio(stay.under_pressure)
    p_gp = min([path.p_handoff_fail_gp] + [t.role.p_fail_gp_with_plan for t in plan])
    p_mun = min([path.p_handoff_fail_municipality] + [t.role.p_fail_municipality_with_plan for t in plan])
    p_gp = min(1.0, rushed * pathway.handoff_failure(p_gp, patient, GENERAL_PRACTICE, bool(coordinators)))
    p_mun = min(1.0, rushed * pathway.handoff_failure(p_mun, patient, MUNICIPALITY, bool(coordinators)))
    failed_gp = draw.random() < p_gp
    failed_mun = to_home_nursing and draw.random() < p_mun
    covering = [t for t in patient.teams if t.role.covers_handoffs]
    acting: list = []
    failed_patient_links = 0
    if covering:
        team_draw = patient.streams.get("team")
        practice = model.practices[patient.practice_index]
        for team in covering:
            if team_draw.random() >= team.role.information_access:
                continue  # the coordinator did not hear of this discharge in time
            if pathway.patient_link_fails(patient):
                failed_patient_links += 1
                continue  # heard, but did not reach the patient: one more loose end, nothing done
            acting.append(team)
            for _ in range(int(round(team.role.partner_slots_per_discharge))):
                slot = practice.book_check(now)
                rec.fact(GpContact(person_id=patient.person_id, practice=practice.index, requested=now, seen=slot,
                                   kind="coordination", referred=False))
            rec.fact(Contact(person_id=patient.person_id, time=now, actor=team.name))
            if failed_gp and pathway.attempt_repair(team_draw.random(), team.role.p_handoff_repair, GENERAL_PRACTICE):
                failed_gp = False
                rec.fact(HandoffRepair(person_id=patient.person_id, time=now, team=team.name,
                                       target="general_practice"))
            if failed_mun and pathway.attempt_repair(team_draw.random(), team.role.p_handoff_repair, MUNICIPALITY):
                failed_mun = False
                rec.fact(HandoffRepair(person_id=patient.person_id, time=now, team=team.name, target="municipality"))
    # extended treatment responsibility (a scenario): the ward may catch a failing handoff in its window
    failed_gp, failed_mun = model.acute_alternatives.after_discharge_handoffs(patient, ward, failed_gp, failed_mun,
                                                                             to_home_nursing)
    rec.fact(Handoff(person_id=patient.person_id, time=now, target="general_practice", failed=failed_gp))
    if to_home_nursing:
        rec.fact(Handoff(person_id=patient.person_id, time=now, target="municipality", failed=failed_mun))
    unit_handoffs, failed_units = pathway.unit_handoffs(patient, acting)
    links, failed_links = pathway.coordinator_links(patient, coordinators)
    failed_links += failed_patient_links
    failed_handoffs = int(failed_gp) + int(failed_mun) + failed_units
    # a failed handoff at a transfer during the stay (recorded then) goes home with the patient too
    failed = failed_handoffs > 0 or failed_links > 0 or stay.transfer_failed
    rec.fact(Transition(person_id=patient.person_id, time=now, handoffs=1 + int(to_home_nursing) + unit_handoffs,
                        failed_handoffs=failed_handoffs, coordinators=len(coordinators),
                        coordinator_links=links + len(coordinators), failed_links=failed_links,
                        unstable=patient.unstable, adverse=failed or patient.unstable))
    return failed

"""Value-based controls instead of fixed controls (Region H 2018 §3; MODEL.md §3.3).

``scenario.controls.policy`` switches one of two follow-up forms on; at a fixed control a patient judged
able to self-manage is offered it (``p_switch_at_control``, less often under a tariff share: the payment
steering mechanism's ``switch_offer_probability``), and the fixed controls of that condition stop:

* **needs-based (patient-initiated) follow-up** (Region H 2018 l.147-200): the patient is to call the
  clinic about a moderate deterioration instead of the GP; P(contact | need) < 1 and lower for vulnerable
  patients. The call is settled by phone or gives a sub-acute slot (the reserve first).
* **PRO-triggered follow-up** (Region H 2018 l.164-166): a periodic questionnaire, answered or not, scored
  by an algorithm with a sensitivity and a specificity; a positive score books a sub-acute visit.

With ``outreach_after_days`` the clinic phones a patient off fixed controls it has not heard from for that
long (Region H 2018 l.836-843). The clinic's sub-acute reserve and its books stay the clinic's
(``sim.agents.outpatient_clinic``); this module decides who is on which follow-up and what happens then.
Every draw is from the patient's ``followup`` stream, in the order the clinic used to make them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..agents.patient import NO_CONTACT
from .hooks import Mechanism
from ..facts.controls import FollowUpSwitch, ProQuestionnaire
from ..facts.core import Contact, OutpatientContact

if TYPE_CHECKING:
    from ..agents.outpatient_clinic import OutpatientClinic
    from ..agents.patient import Patient
    from ..model import CareModel

NEEDS_BASED, PRO_TRIGGERED = "needs_based", "pro_triggered"


class ValueBasedControls(Mechanism):
    name = "controls"
    config_sections = ("scenario.controls",)
    patient_stream_purposes = ("followup",)

    def __init__(self, model: CareModel):
        super().__init__(model)
        self.cfg = model.cfg.scenario.controls
        self.clinics: dict[int, ClinicFollowUp] = {}  # by condition

    @property
    def active(self) -> bool:
        return self.cfg.policy in (NEEDS_BASED, PRO_TRIGGERED)

    def clinic_opened(self, clinic: OutpatientClinic) -> None:
        self.clinics[clinic.condition] = ClinicFollowUp(self, clinic)

    def replaces_next_control(self, clinic: OutpatientClinic, patient: Patient) -> bool:
        follow_up = self.clinics[clinic.condition]
        if self.cfg.policy == NEEDS_BASED:
            return follow_up.switch_to_needs_based(patient)
        return follow_up.switch_to_pro(patient)

    def seeks_care_elsewhere(self, patient: Patient, condition: int, escalate_at: float):
        """SimPy generator: on needs-based follow-up the clinic is where the patient turns (one decision to seek
        care): ``NO_CONTACT`` if the patient does not call, else the outcome of the call."""
        if condition not in patient.patient_initiated:
            return None
        cfg = self.cfg
        p = cfg.p_contact_given_need * (cfg.contact_vulnerable_ratio if patient.vulnerable else 1.0)
        if patient.streams.get("followup").random() >= p:
            return NO_CONTACT
        return (yield from self.clinics[condition].contact(patient, escalate_at))

    def at_exit(self, patient: Patient) -> None:
        self.model.needs_based_patients -= len(patient.patient_initiated)
        self.model.pro_followed_patients -= len(patient.pro_followed)


class ClinicFollowUp:
    """One clinic's needs-based or PRO-triggered follow-up; its methods are the patients' agenda callbacks."""

    def __init__(self, controls: ValueBasedControls, clinic: OutpatientClinic):
        self.model = controls.model
        self.controls = controls
        self.cfg = controls.cfg
        self.clinic = clinic
        self.condition = clinic.condition
        self.outreach_after = self.cfg.outreach_after_days

    # -- the switch at a fixed control -------------------------------------------------------------------
    def switch_to_needs_based(self, patient: Patient) -> bool:
        """At a fixed control, a patient judged able to self-manage is offered needs-based follow-up."""
        if not self._offered_switch(patient):
            return False
        patient.patient_initiated.add(self.condition)
        self.model.needs_based_patients += 1
        self.model.recorder.fact(FollowUpSwitch(person_id=patient.person_id, time=self.model.env.now,
                                                condition=self.condition))
        self.note_contact(patient, self.model.env.now)
        return True

    def _offered_switch(self, patient: Patient) -> bool:
        """The clinician's decision at a fixed control: only patients judged able to self-manage, and not all
        of them at once (Region H 2018 l.402-414, l.848-850)."""
        if patient.pam < self.cfg.min_pam or self.condition in patient.patient_initiated or self.condition in patient.pro_followed:
            return False
        # under a tariff share the offer is made less often (double steering, Region H 2018 l.1262-1274)
        p_offer = self.model.hooks.switch_offer_probability(self.clinic, self.cfg.p_switch_at_control)
        return patient.streams.get("followup").random() < p_offer

    def switch_to_pro(self, patient: Patient) -> bool:
        if not self._offered_switch(patient):
            return False
        now = self.model.env.now
        patient.pro_followed.add(self.condition)
        self.model.pro_followed_patients += 1
        self.model.recorder.fact(FollowUpSwitch(person_id=patient.person_id, time=now, condition=self.condition))
        self.note_contact(patient, now)
        patient.add_to_agenda(now + self.cfg.pro_interval_days, self.pro_questionnaire, now)
        return True

    # -- PRO-triggered follow-up -------------------------------------------------------------------------
    def pro_questionnaire(self, patient: Patient, time: float, _sent: float) -> None:
        """The periodic questionnaire: answered or not; an answer is scored, and a positive score books a visit.

        The algorithm sees the patient's state imperfectly: an unstable phase is flagged with the
        sensitivity, a stable patient with one minus the specificity (a visit that finds nothing)."""
        controls = self.cfg
        draw = patient.streams.get("followup")
        p_answer = controls.pro_response_probability * (controls.contact_vulnerable_ratio if patient.vulnerable else 1.0)
        answered = not patient.is_away() and draw.random() < p_answer
        flagged = False
        if answered:
            p_flag = controls.pro_sensitivity if patient.unstable else 1.0 - controls.pro_specificity
            flagged = draw.random() < p_flag
            self.note_contact(patient, time)
        self.model.recorder.fact(ProQuestionnaire(person_id=patient.person_id, clinic=self.condition, time=time,
                                                  answered=answered, unstable=patient.unstable, flagged=flagged))
        if flagged:
            appointment = self.clinic.book_short_notice(time)
            patient.add_to_agenda(appointment, self.attend_pro_visit, time)
        patient.add_to_agenda(time + controls.pro_interval_days, self.pro_questionnaire, time)

    def attend_pro_visit(self, patient: Patient, appointment: float, flagged_at: float) -> None:
        """The visit a positive questionnaire booked (an agenda callback): a sub-acute visit."""
        self.attend_subacute(patient, flagged_at, appointment)

    # -- outreach to silent patients (Region H 2018 l.836-843) -------------------------------------------
    def note_contact(self, patient: Patient, now: float) -> None:
        """Remember the clinic heard from the patient; with outreach on, check again after the silent period."""
        patient.last_clinic_contact[self.condition] = now
        if self.outreach_after > 0:
            patient.add_to_agenda(now + self.outreach_after, self.outreach_if_silent, now)

    def outreach_if_silent(self, patient: Patient, time: float, heard_at: float) -> None:
        """The clinic phones a patient off fixed controls it has not heard from since ``heard_at``."""
        if patient.last_clinic_contact.get(self.condition) != heard_at:
            return  # heard from the patient since: a later check is in the agenda
        if self.condition not in patient.patient_initiated and self.condition not in patient.pro_followed:
            return
        rec = self.model.recorder
        rec.fact(OutpatientContact(person_id=patient.person_id, clinic=self.condition, kind="outreach",
                                   requested=time, appointment=time, attended=True))
        rec.fact(Contact(person_id=patient.person_id, time=time, actor=self.clinic.name))
        if patient.unstable and patient.streams.get("followup").random() < self.cfg.p_detect_by_phone:
            patient.stabilise("outpatient_outreach")
        self.note_contact(patient, time)

    # -- the patient's call (needs-based follow-up) -------------------------------------------------------
    def contact(self, patient: Patient, escalate_at: float):
        """SimPy generator: call the clinic after a delay; phone advice or a sub-acute slot. Returns (outcome, acute)."""
        env, controls = self.model.env, self.cfg
        delay = patient.streams.get("followup").expovariate(1.0 / controls.contact_delay_mean_days) \
            if controls.contact_delay_mean_days > 0 else 0.0
        if escalate_at <= env.now + delay:
            yield from patient.wait_at_home(escalate_at - env.now)
            return "escalated_before_contact", True
        if (yield from patient.wait_at_home(delay)):
            return "escalated_before_contact", True
        requested = env.now
        appointment = self.patient_initiated_contact(patient, requested)
        if appointment is None:
            return "clinic_phone", False
        if escalate_at < appointment:
            yield from patient.wait_at_home(escalate_at - requested)
            return "escalated_waiting_for_clinic", True
        if (yield from patient.wait_at_home(appointment - requested)):
            return "escalated_waiting_for_clinic", True
        self.attend_subacute(patient, requested, appointment)
        return "clinic_subacute", False

    def patient_initiated_contact(self, patient: Patient, now: float) -> float | None:
        """The patient calls about a deterioration: settled by phone (returns None) or given a sub-acute slot
        (returns the appointment time; the reserve first, then the ordinary book)."""
        controls = self.cfg
        draw = patient.streams.get("followup")
        rec = self.model.recorder
        if draw.random() < controls.p_handled_by_phone:
            rec.fact(OutpatientContact(person_id=patient.person_id, clinic=self.condition, kind="phone",
                                       requested=now, appointment=now, attended=True))
            rec.fact(Contact(person_id=patient.person_id, time=now, actor=self.clinic.name))
            self.note_contact(patient, now)
            if patient.unstable and draw.random() < controls.p_detect_by_phone:
                patient.stabilise("outpatient_phone")
            return None
        return self.clinic.book_short_notice(now)

    def attend_subacute(self, patient: Patient, requested: float, appointment: float) -> None:
        path = self.model.cfg.pathways
        if self.clinic.attends(patient, "subacute", requested, appointment):
            self.note_contact(patient, appointment)
            if patient.unstable and patient.streams.get("followup").random() < path.p_detect_at_control:
                patient.stabilise("outpatient_subacute")

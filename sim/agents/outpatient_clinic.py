"""Outpatient clinic (one per condition): an appointment book shared by fixed-interval controls,
new referrals from general practice (with the 30-day right, Region H 2018 l.1447-1448) and
background referrals of the rest of the population.

Controls are booked at their due date (a year ahead for annual controls, Region H 2018 l.150-151),
so they fill the book before new referrals arrive: this is the competition the value-based control
scenarios relieve. At a control an ongoing unstable phase is detected and treated with some
probability: that is how follow-up prevents acute deteriorations.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import mesa

from ..capacity import APPOINTMENT_TIME_OF_DAY, AppointmentBook, earliest_day, weekday_capacity
from ..config import CONDITIONS

if TYPE_CHECKING:
    from ..model import CareModel
    from .patient import Patient

CONTROL, NEW_REFERRAL, SUBACUTE = "control", "new_referral", "subacute"


class OutpatientClinic(mesa.Agent):
    def __init__(self, model: CareModel, condition: int, slots_per_weekday: float):
        super().__init__(model)
        self.condition = condition
        self.name = f"clinic_{CONDITIONS[condition]}"
        controls = model.cfg.scenario.controls
        self.needs_based = controls.policy == "needs_based"
        self.pro_triggered = controls.policy == "pro_triggered"
        self.outreach_after = controls.outreach_after_days
        # visits the patient or the questionnaire asks for need slots at short notice
        reserve = controls.subacute_reserve_share if (self.needs_based or self.pro_triggered) else 0.0
        unlimited = model.cfg.capacity.unlimited_capacity
        plan = model.capacity_plan  # a capacity calendar may change both books on planned days
        self.book = AppointmentBook(self.name, slots_per_weekday * (1.0 - reserve), model.horizon_days, unlimited,
                                    changes=[] if unlimited else plan.clinic_changes(condition, reserve=False))
        # slots held for patient-initiated (sub-acute) contacts (Region H 2018 l.1115-1116), or opened by a
        # capacity move (Symphony's sub-acute outpatient slots, VIVE 2018 l.2279-2280)
        subacute_move = not unlimited and plan.has_subacute_changes(condition)
        self.reserve = AppointmentBook(f"{self.name}/reserve", slots_per_weekday * reserve, model.horizon_days, unlimited,
                                       changes=plan.clinic_changes(condition, reserve=True) if subacute_move else []) \
            if reserve > 0 or subacute_move else None
        if self.reserve is not None and controls.release_unused_reserve:
            model.env.process(self._release_reserve_daily())
        # new referrals may wait on a list and get slots by a policy (Region H 2018 l.1475-1485): the slot
        # allocation mechanism sets it up when the clinic has opened (``clinic_opened`` below)
        self.waiting_list = None
        # GP referrals of deteriorating patients use sub-acute slots a capacity move opened
        self.subacute_for_referrals = subacute_move and model.cfg.scenario.capacity_moves.gp_referrals_use_subacute
        # the extended free choice of hospital: a new referral the clinic cannot see within the 30-day right
        # may be seen elsewhere, paid by the region (overload.*)
        overload = model.cfg.overload
        self.elsewhere = overload.enabled and not unlimited
        self.p_elsewhere = overload.p_choose_elsewhere_after_rtt
        self.elsewhere_wait = overload.elsewhere_wait_days
        self._background_choice = model.streams.agent("outpatient_clinic", condition, "extended_free_choice")
        self.followed = 0          # patients in this clinic's fixed-interval follow-up
        self.planned_followed = 0  # the caseload the clinic plans for: set when the prevalent caseload is in
        self._init_payment_steering(model)
        # after the reserve release started, so a waiting list's slots released today are allocated today
        model.hooks.clinic_opened(self)

    def _init_payment_steering(self, model: CareModel) -> None:
        """How the payment model steers this clinic's decisions (Region H 2018 l.1262-1274, l.1536-1541)."""
        pay = model.cfg.payment
        # double steering: the more revenue follows activity, the less often needs-based follow-up is offered
        self.switch_probability = model.cfg.scenario.controls.p_switch_at_control * (1.0 - pay.adoption_elasticity * pay.tariff_share)
        # an empty reserve slot earns no tariff: under DRG the clinic books some controls into it
        self.fill_reserve_probability = pay.p_fill_reserve_with_controls * pay.tariff_share if self.reserve is not None else 0.0
        self._steering = model.streams.agent("outpatient_clinic", self.condition, "reserve_filling") \
            if self.fill_reserve_probability > 0 else None
        self._reserve_booked = {CONTROL: Counter(), SUBACUTE: Counter()}  # reserve slots booked, by kind and day

    def follow(self, patient: Patient, delta: int) -> None:
        """Keep the count of followed patients (enrolment +1; discharge to GP or exit -1)."""
        self.followed += delta

    def book_control(self, patient: Patient, due: float) -> None:
        """Book a fixed-interval control on or after ``due`` and put it in the patient's agenda."""
        first = earliest_day(due, same_day=False)
        day = self._control_into_reserve(first) if self.fill_reserve_probability > 0 else None
        if day is None:
            day = self.book.book(first)
        patient.add_to_agenda(day + APPOINTMENT_TIME_OF_DAY, self.attend_control, due)

    def _control_into_reserve(self, first: int) -> int | None:
        """DRG steering (Region H 2018 l.1536-1541): a reserve slot left empty earns nothing, so when the reserve
        offers a slot no later than the ordinary book the clinic may fill it with this control now, long before
        sub-acute patients call. Returns the reserve day, or None to book as usual."""
        reserve_day = self.reserve.first_free_day_or_none(first)  # None when a capacity move has closed the reserve
        if reserve_day is None or reserve_day > self.book.first_free_day(first):
            return None
        if self._steering.random() >= self.fill_reserve_probability:
            return None
        day = self.reserve.book(first)
        self._reserve_booked[CONTROL][day] += 1
        return day

    def refer(self, patient: Patient, now: float) -> None:
        """A GP referral of a chronic patient: the first free slot from tomorrow (or the waiting list); if that is
        beyond the 30-day right, the patient may choose to be seen elsewhere."""
        first = earliest_day(now, same_day=False)
        if self.waiting_list is not None:
            self.waiting_list.add(now, first, 1, patient)
            return
        if self._beyond_right(first, now) and patient.streams.get("overload").random() < self.p_elsewhere:
            self._send_elsewhere(patient, now, now + self.elsewhere_wait)
            return
        appointment = self.book.book(first) + APPOINTMENT_TIME_OF_DAY
        patient.add_to_agenda(appointment, self.attend_new_referral, now)

    # -- the extended free choice of hospital (overload.p_choose_elsewhere_after_rtt) -----------------
    def _beyond_right(self, first: int, now: float) -> bool:
        """True if the clinic's first free slot from ``first`` is later than the 30-day right allows."""
        if not self.elsewhere:
            return False
        return self.book.first_free_day(first) + APPOINTMENT_TIME_OF_DAY - now > self.model.cfg.pathways.rtt_days

    def _send_elsewhere(self, patient: Patient, requested: float, seen: float) -> None:
        patient.add_to_agenda(seen, self.attend_elsewhere, requested)

    def attend_elsewhere(self, patient: Patient, seen: float, requested: float) -> None:
        """The visit at another hospital or a private clinic (an agenda callback): the workup happens there,
        and follow-up, if any, comes back to this clinic."""
        if patient.is_away():
            return  # in hospital meanwhile: the visit elsewhere is given up
        rec = self.model.recorder
        rec.fact("referrals_elsewhere", patient.person_id, self.condition, requested, seen, 1)
        rec.fact("contacts", patient.person_id, seen, f"{self.name}/elsewhere")
        self._assess_referral(patient, seen, "outpatient_elsewhere")

    def _background_elsewhere(self, requested: float, seen: float, n: int) -> int:
        """Of ``n`` background referrals beyond the right, how many go elsewhere (recorded); returns that number."""
        draw = self._background_choice
        chosen = sum(1 for _ in range(n) if draw.random() < self.p_elsewhere)
        if chosen:
            self.model.recorder.fact("referrals_elsewhere", -1, self.condition, requested, seen, chosen)
        return chosen

    def offer_elsewhere(self, entry) -> None:
        """A waiting-list referral whose 30-day deadline passed without a slot may go elsewhere now."""
        now = self.model.env.now
        if entry.patient is None:
            entry.count -= self._background_elsewhere(entry.requested, now + self.elsewhere_wait, entry.count)
        elif entry.patient.streams.get("overload").random() < self.p_elsewhere:
            entry.count = 0
            self._send_elsewhere(entry.patient, entry.requested, now + self.elsewhere_wait)

    def _attends(self, patient: Patient, kind: str, requested: float, appointment: float) -> bool:
        """Record the visit (or no-show) and return whether the patient came."""
        model = self.model
        path = model.cfg.pathways
        p_no_show = path.p_no_show_vulnerable if patient.vulnerable else path.p_no_show
        attended = not patient.is_away() and patient.streams.get("followup").random() >= p_no_show
        model.recorder.fact("outpatient", patient.person_id, self.condition, kind, requested, appointment, attended)
        if attended:
            model.recorder.fact("contacts", patient.person_id, appointment, self.name)
            model.recorder.event(patient.person_id, "resource_use", kind, appointment, None, self.name)
        return attended

    def attend_control(self, patient: Patient, appointment: float, due: float) -> None:
        path = self.model.cfg.pathways
        if self._attends(patient, CONTROL, due, appointment):
            if self.model.hooks.hands_over_at_control(self, patient):
                return  # e.g. handed over to general practice (a capacity move): no next control here
            followup = patient.streams.get("followup")
            if patient.unstable and followup.random() < path.p_detect_at_control:
                patient.stabilise("outpatient_control")
            elif not patient.unstable and followup.random() < self._discharge_probability():
                self.discharge_to_gp(patient)
                return
            if self.needs_based and self._switch_to_needs_based(patient):
                return  # no next fixed control: the patient contacts the clinic when needed
            if self.pro_triggered and self._switch_to_pro(patient):
                return  # no next fixed control: a questionnaire decides when the patient is seen
            if self.model.hooks.replaces_next_control(self, patient):
                return  # e.g. monitoring at home replaces the fixed controls (telemonitoring as substitution)
            self.book_control(patient, due + path.control_interval_days)
        else:  # a missed control is rebooked as soon as possible
            self.book_control(patient, self.model.env.now + 1.0)

    def _discharge_probability(self) -> float:
        """The clinic's decision rule: seldom hand stable patients back, unless it follows more than planned."""
        path = self.model.cfg.pathways
        if self.followed > self.planned_followed:
            return max(path.p_discharge_to_gp_at_control, path.p_discharge_when_over_caseload)
        return path.p_discharge_to_gp_at_control

    # -- needs-based (patient-initiated) follow-up: Region H 2018 l.147-200 ---------------------------
    def _switch_to_needs_based(self, patient: Patient) -> bool:
        """At a fixed control, a patient judged able to self-manage is offered needs-based follow-up."""
        if not self._offered_switch(patient):
            return False
        patient.patient_initiated.add(self.condition)
        self.model.needs_based_patients += 1
        self.model.recorder.fact("switches", patient.person_id, self.model.env.now, self.condition)
        self._note_contact(patient, self.model.env.now)
        return True

    def _offered_switch(self, patient: Patient) -> bool:
        """The clinician's decision at a fixed control: only patients judged able to self-manage, and not all
        of them at once (Region H 2018 l.402-414, l.848-850)."""
        controls = self.model.cfg.scenario.controls
        if patient.pam < controls.min_pam or self.condition in patient.patient_initiated or self.condition in patient.pro_followed:
            return False
        # under a tariff share the offer is made less often (double steering, Region H 2018 l.1262-1274)
        return patient.streams.get("followup").random() < self.switch_probability

    # -- PRO-triggered follow-up: a questionnaire scored by an algorithm (Region H 2018 l.164-166) ---------
    def _switch_to_pro(self, patient: Patient) -> bool:
        if not self._offered_switch(patient):
            return False
        now = self.model.env.now
        patient.pro_followed.add(self.condition)
        self.model.pro_followed_patients += 1
        self.model.recorder.fact("switches", patient.person_id, now, self.condition)
        self._note_contact(patient, now)
        patient.add_to_agenda(now + self.model.cfg.scenario.controls.pro_interval_days, self.pro_questionnaire, now)
        return True

    def pro_questionnaire(self, patient: Patient, time: float, _sent: float) -> None:
        """The periodic questionnaire: answered or not; an answer is scored, and a positive score books a visit.

        The algorithm sees the patient's state imperfectly: an unstable phase is flagged with the
        sensitivity, a stable patient with one minus the specificity (a visit that finds nothing)."""
        controls = self.model.cfg.scenario.controls
        draw = patient.streams.get("followup")
        p_answer = controls.pro_response_probability * (controls.contact_vulnerable_ratio if patient.vulnerable else 1.0)
        answered = not patient.is_away() and draw.random() < p_answer
        flagged = False
        if answered:
            p_flag = controls.pro_sensitivity if patient.unstable else 1.0 - controls.pro_specificity
            flagged = draw.random() < p_flag
            self._note_contact(patient, time)
        self.model.recorder.fact("pro_questionnaires", patient.person_id, self.condition, time, answered,
                                 patient.unstable, flagged)
        if flagged:
            appointment = self._book_short_notice(time)
            patient.add_to_agenda(appointment, self.attend_pro_visit, time)
        patient.add_to_agenda(time + controls.pro_interval_days, self.pro_questionnaire, time)

    def attend_pro_visit(self, patient: Patient, appointment: float, flagged_at: float) -> None:
        """The visit a positive questionnaire booked (an agenda callback): a sub-acute visit."""
        self.attend_subacute(patient, flagged_at, appointment)

    # -- outreach to silent patients (Region H 2018 l.836-843) -------------------------------------------
    def _note_contact(self, patient: Patient, now: float) -> None:
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
        rec.fact("outpatient", patient.person_id, self.condition, "outreach", time, time, True)
        rec.fact("contacts", patient.person_id, time, self.name)
        if patient.unstable and patient.streams.get("followup").random() < self.model.cfg.scenario.controls.p_detect_by_phone:
            patient.stabilise("outpatient_outreach")
        self._note_contact(patient, time)

    def patient_initiated_contact(self, patient: Patient, now: float) -> float | None:
        """The patient calls about a deterioration: settled by phone (returns None) or given a sub-acute slot
        (returns the appointment time; the reserve first, then the ordinary book)."""
        controls = self.model.cfg.scenario.controls
        draw = patient.streams.get("followup")
        rec = self.model.recorder
        if draw.random() < controls.p_handled_by_phone:
            rec.fact("outpatient", patient.person_id, self.condition, "phone", now, now, True)
            rec.fact("contacts", patient.person_id, now, self.name)
            self._note_contact(patient, now)
            if patient.unstable and draw.random() < controls.p_detect_by_phone:
                patient.stabilise("outpatient_phone")
            return None
        return self._book_short_notice(now)

    def _book_short_notice(self, now: float) -> float:
        """A sub-acute slot from tomorrow: the reserve first if it is as early, then the ordinary book."""
        first = earliest_day(now, same_day=False)
        day = self._subacute_day(first)
        if day is None:
            day = self.book.book(first)
        return day + APPOINTMENT_TIME_OF_DAY

    def _subacute_day(self, first: int) -> int | None:
        """Book a reserve (sub-acute) slot if one is free no later than an ordinary slot; else None."""
        if self.reserve is None:
            return None
        reserve_day = self.reserve.first_free_day_or_none(first)
        if reserve_day is None or reserve_day > self.book.first_free_day(first):
            return None
        day = self.reserve.book(first)
        self._reserve_booked[SUBACUTE][day] += 1
        return day

    def refer_deterioration(self, patient: Patient, now: float) -> None:
        """A GP referral of a deteriorating chronic patient: a sub-acute slot when a capacity move opened them
        here (what Symphony's sub-acute slots were for, VIVE 2018 l.2279-2280), else an ordinary referral."""
        if self.subacute_for_referrals:
            day = self._subacute_day(earliest_day(now, same_day=False))
            if day is not None:
                patient.add_to_agenda(day + APPOINTMENT_TIME_OF_DAY, self.attend_subacute_referral, now)
                return
        self.refer(patient, now)

    def attend_subacute_referral(self, patient: Patient, appointment: float, requested: float) -> None:
        """A referred deterioration seen in a sub-acute slot (recorded as a sub-acute visit): handled as a
        new referral (treatment of an unstable phase, possibly enrolment in follow-up)."""
        if self._attends(patient, "subacute", requested, appointment):
            self._assess_referral(patient, appointment, "outpatient_subacute_referral")

    def attend_subacute(self, patient: Patient, requested: float, appointment: float) -> None:
        path = self.model.cfg.pathways
        if self._attends(patient, "subacute", requested, appointment):
            self._note_contact(patient, appointment)
            if patient.unstable and patient.streams.get("followup").random() < path.p_detect_at_control:
                patient.stabilise("outpatient_subacute")

    def _release_reserve_daily(self):
        """Each morning, tomorrow's unbooked reserve slots go to new referrals and controls."""
        env = self.model.env
        while True:
            today = int(env.now)
            self.reserve.move_unused(today + 1, self.book, today)
            yield env.timeout(1.0)

    def planned_reserve_slots(self, d0: int, d1: int) -> int:
        """Reserve slots planned for days [d0, d1), before any release of unused ones."""
        return sum(weekday_capacity(self.reserve.slots_per_weekday, d1)[max(0, d0):d1]) if self.reserve is not None else 0

    def reserve_bookings_between(self, kind: str, d0: int, d1: int) -> int:
        """Reserve slots on days [d0, d1) booked by ``kind`` (CONTROL or SUBACUTE)."""
        return sum(n for day, n in self._reserve_booked[kind].items() if d0 <= day < d1)

    def discharge_to_gp(self, patient: Patient) -> None:
        """End hospital follow-up of this condition; with no hospital follow-up left the GP takes over checks."""
        patient.hospital_followed[self.condition] = False
        self.follow(patient, -1)
        if not any(patient.hospital_followed) and self.model.cfg.pathways.gp_annual_check_for_gp_followed:
            practice = self.model.practices[patient.practice_index]
            practice.book_check_for(patient, self.model.env.now + self.model.cfg.pathways.control_interval_days)

    def attend_new_referral(self, patient: Patient, appointment: float, requested: float) -> None:
        if self._attends(patient, NEW_REFERRAL, requested, appointment):
            self._assess_referral(patient, appointment, "outpatient_new_referral")

    def _assess_referral(self, patient: Patient, appointment: float, where: str) -> None:
        """A referred patient seen (new referral or sub-acute slot): an unstable phase may be caught and
        treated, and the patient may be taken into this clinic's follow-up."""
        path = self.model.cfg.pathways
        followup = patient.streams.get("followup")
        if patient.unstable and followup.random() < path.p_detect_at_control:
            patient.stabilise(where)
        if not patient.hospital_followed[self.condition] and followup.random() < path.p_enrol_after_new_referral:
            patient.hospital_followed[self.condition] = True
            self.follow(patient, +1)
            self.book_control(patient, appointment + path.control_interval_days)

    def book_background(self, day: int, n: int) -> None:
        """New referrals of people outside the modelled caseload (waits recorded in aggregate)."""
        if self.waiting_list is not None:
            self.waiting_list.add(float(day), day + 1, n)
            return
        if n > 0 and self._beyond_right(day + 1, float(day)):
            n -= self._background_elsewhere(float(day), day + self.elsewhere_wait, n)
        for appointment_day, count in self.book.book_many(day + 1, n):
            self.model.recorder.fact("outpatient_background", self.condition, float(day), appointment_day + APPOINTMENT_TIME_OF_DAY, count)

    def still_waiting(self) -> list[tuple[float, int]]:
        """(referral time, people) of the referrals still waiting for a slot (none when booked on referral)."""
        if self.waiting_list is None:
            return []
        return [(e.requested, e.count) for e in self.waiting_list.waiting()]

"""Outpatient clinic (one per condition): an appointment book shared by fixed-interval controls,
new referrals from general practice (with the 30-day right, Region H 2018 l.1447-1448) and
background referrals of the rest of the population.

Controls are booked at their due date (a year ahead for annual controls, Region H 2018 l.150-151),
so they fill the book before new referrals arrive: this is the competition the value-based control
scenarios relieve. At a control an ongoing unstable phase is detected and treated with some
probability: that is how follow-up prevents acute deteriorations.

The clinic owns its books (the ordinary book and the sub-acute reserve). What scenarios change is reached
through hooks (``sim.mechanisms.hooks``): other forms of follow-up than the next fixed control
(``sim.mechanisms.controls``, telemonitoring), the payment model's steering of bookings
(``sim.mechanisms.payment_steering``), controls handed over to general practice
(``sim.mechanisms.capacity_moves``) and the waiting list for new referrals (``sim.mechanisms.slot_allocation``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import mesa

from ..capacity import APPOINTMENT_TIME_OF_DAY, AppointmentBook, earliest_day, weekday_capacity
from ..config import CONDITIONS
from ..facts.core import Contact, OutpatientBackground, OutpatientContact, ReferralElsewhere

if TYPE_CHECKING:
    from ..model import CareModel
    from .patient import Patient

CONTROL, NEW_REFERRAL, SUBACUTE = "control", "new_referral", "subacute"


class OutpatientClinic(mesa.Agent):
    """One condition's outpatient clinic: its appointment books and the visits booked in them."""

    def __init__(self, model: CareModel, condition: int, slots_per_weekday: float):
        super().__init__(model)
        self.condition = condition
        self.name = f"clinic_{CONDITIONS[condition]}"
        controls = model.cfg.scenario.controls
        # visits the patient or the questionnaire asks for need slots at short notice (value-based controls)
        reserve = controls.subacute_reserve_share if controls.policy in ("needs_based", "pro_triggered") else 0.0
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
        self._reserve_booked = {CONTROL: Counter(), SUBACUTE: Counter()}  # reserve slots booked, by kind and day
        # after the reserve release started, so a waiting list's slots released today are allocated today
        model.hooks.clinic_opened(self)

    def follow(self, patient: Patient, delta: int) -> None:
        """Keep the count of followed patients (enrolment +1; discharge to GP or exit -1)."""
        self.followed += delta

    def book_control(self, patient: Patient, due: float) -> None:
        """Book a fixed-interval control on or after ``due`` and put it in the patient's agenda."""
        first = earliest_day(due, same_day=False)
        day = self.model.hooks.books_control(self, first)  # e.g. into the reserve, steered by the payment model
        if day is None:
            day = self.book.book(first)
        patient.add_to_agenda(day + APPOINTMENT_TIME_OF_DAY, self.attend_control, due)

    def book_reserve(self, first: int, kind: str) -> int:
        """Book a reserve slot on or after ``first`` for ``kind`` (CONTROL or SUBACUTE); returns its day."""
        day = self.reserve.book(first)
        self._reserve_booked[kind][day] += 1
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
        rec.fact(ReferralElsewhere(person_id=patient.person_id, clinic=self.condition, requested=requested, seen=seen,
                                   count=1))
        rec.fact(Contact(person_id=patient.person_id, time=seen, actor=f"{self.name}/elsewhere"))
        self._assess_referral(patient, seen, "outpatient_elsewhere")

    def _background_elsewhere(self, requested: float, seen: float, n: int) -> int:
        """Of ``n`` background referrals beyond the right, how many go elsewhere (recorded); returns that number."""
        draw = self._background_choice
        chosen = sum(1 for _ in range(n) if draw.random() < self.p_elsewhere)
        if chosen:
            self.model.recorder.fact(ReferralElsewhere(person_id=-1, clinic=self.condition, requested=requested,
                                                       seen=seen, count=chosen))
        return chosen

    def offer_elsewhere(self, entry) -> None:
        """A waiting-list referral whose 30-day deadline passed without a slot may go elsewhere now."""
        now = self.model.env.now
        if entry.patient is None:
            entry.count -= self._background_elsewhere(entry.requested, now + self.elsewhere_wait, entry.count)
        elif entry.patient.streams.get("overload").random() < self.p_elsewhere:
            entry.count = 0
            self._send_elsewhere(entry.patient, entry.requested, now + self.elsewhere_wait)

    def attends(self, patient: Patient, kind: str, requested: float, appointment: float) -> bool:
        """Record the visit (or no-show) and return whether the patient came."""
        model = self.model
        path = model.cfg.pathways
        p_no_show = path.p_no_show_vulnerable if patient.vulnerable else path.p_no_show
        attended = not patient.is_away() and patient.streams.get("followup").random() >= p_no_show
        model.recorder.fact(OutpatientContact(person_id=patient.person_id, clinic=self.condition, kind=kind,
                                              requested=requested, appointment=appointment, attended=attended))
        if attended:
            model.recorder.fact(Contact(person_id=patient.person_id, time=appointment, actor=self.name))
            model.recorder.event(patient.person_id, "resource_use", kind, appointment, None, self.name)
        return attended

    def attend_control(self, patient: Patient, appointment: float, due: float) -> None:
        path = self.model.cfg.pathways
        if self.attends(patient, CONTROL, due, appointment):
            if self.model.hooks.hands_over_at_control(self, patient):
                return  # e.g. handed over to general practice (a capacity move): no next control here
            followup = patient.streams.get("followup")
            if patient.unstable and followup.random() < path.p_detect_at_control:
                patient.stabilise("outpatient_control")
            elif not patient.unstable and followup.random() < self._discharge_probability():
                self.discharge_to_gp(patient)
                return
            if self.model.hooks.replaces_next_control(self, patient):
                # no next fixed control: e.g. the patient contacts the clinic when needed, a questionnaire
                # decides when the patient is seen, or monitoring at home replaces the controls
                return
            self.book_control(patient, due + path.control_interval_days)
        else:  # a missed control is rebooked as soon as possible
            self.book_control(patient, self.model.env.now + 1.0)

    def _discharge_probability(self) -> float:
        """The clinic's decision rule: seldom hand stable patients back, unless it follows more than planned."""
        path = self.model.cfg.pathways
        if self.followed > self.planned_followed:
            return max(path.p_discharge_to_gp_at_control, path.p_discharge_when_over_caseload)
        return path.p_discharge_to_gp_at_control

    def book_short_notice(self, now: float) -> float:
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
        return self.book_reserve(first, SUBACUTE)

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
        if self.attends(patient, "subacute", requested, appointment):
            self._assess_referral(patient, appointment, "outpatient_subacute_referral")

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
        if self.attends(patient, NEW_REFERRAL, requested, appointment):
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
            self.model.recorder.fact(OutpatientBackground(clinic=self.condition, requested=float(day),
                                                          appointment=appointment_day + APPOINTMENT_TIME_OF_DAY,
                                                          count=count))

    def still_waiting(self) -> list[tuple[float, int]]:
        """(referral time, people) of the referrals still waiting for a slot (none when booked on referral)."""
        if self.waiting_list is None:
            return []
        return [(e.requested, e.count) for e in self.waiting_list.waiting()]

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
        reserve = controls.subacute_reserve_share if self.needs_based else 0.0
        unlimited = model.cfg.capacity.unlimited_capacity
        self.book = AppointmentBook(self.name, slots_per_weekday * (1.0 - reserve), model.horizon_days, unlimited)
        # slots held for patient-initiated (sub-acute) contacts (Region H 2018 l.1115-1116)
        self.reserve = AppointmentBook(f"{self.name}/reserve", slots_per_weekday * reserve, model.horizon_days, unlimited) \
            if reserve > 0 else None
        if self.reserve is not None and controls.release_unused_reserve:
            model.env.process(self._release_reserve_daily())
        self.followed = 0          # patients in this clinic's fixed-interval follow-up
        self.planned_followed = 0  # the caseload the clinic plans for: set when the prevalent caseload is in
        self._init_payment_steering(model)

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
        if self.reserve.first_free_day(first) > self.book.first_free_day(first):
            return None
        if self._steering.random() >= self.fill_reserve_probability:
            return None
        day = self.reserve.book(first)
        self._reserve_booked[CONTROL][day] += 1
        return day

    def refer(self, patient: Patient, now: float) -> None:
        """A GP referral of a chronic patient: the first free slot from tomorrow."""
        appointment = self.book.book(earliest_day(now, same_day=False)) + APPOINTMENT_TIME_OF_DAY
        patient.add_to_agenda(appointment, self.attend_new_referral, now)

    def _attends(self, patient: Patient, kind: str, requested: float, appointment: float) -> bool:
        """Record the visit (or no-show) and return whether the patient came."""
        model = self.model
        path = model.cfg.pathways
        p_no_show = path.p_no_show_vulnerable if patient.vulnerable else path.p_no_show
        attended = not patient.busy_at(appointment) and patient.streams.get("followup").random() >= p_no_show
        model.recorder.fact("outpatient", patient.person_id, self.condition, kind, requested, appointment, attended)
        if attended:
            model.recorder.fact("contacts", patient.person_id, appointment, self.name)
            model.recorder.event(patient.person_id, "resource_use", kind, appointment, None, self.name)
        return attended

    def attend_control(self, patient: Patient, appointment: float, due: float) -> None:
        path = self.model.cfg.pathways
        if self._attends(patient, CONTROL, due, appointment):
            followup = patient.streams.get("followup")
            if patient.unstable and followup.random() < path.p_detect_at_control:
                patient.stabilise("outpatient_control")
            elif not patient.unstable and followup.random() < self._discharge_probability():
                self.discharge_to_gp(patient)
                return
            if self.needs_based and self._switch_to_needs_based(patient):
                return  # no next fixed control: the patient contacts the clinic when needed
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
        controls = self.model.cfg.scenario.controls
        if patient.pam < controls.min_pam or self.condition in patient.patient_initiated:
            return False
        if patient.streams.get("followup").random() >= self.switch_probability:
            return False
        patient.patient_initiated.add(self.condition)
        self.model.needs_based_patients += 1
        self.model.recorder.fact("switches", patient.person_id, self.model.env.now, self.condition)
        return True

    def patient_initiated_contact(self, patient: Patient, now: float) -> float | None:
        """The patient calls about a deterioration: settled by phone (returns None) or given a sub-acute slot
        (returns the appointment time; the reserve first, then the ordinary book)."""
        controls = self.model.cfg.scenario.controls
        draw = patient.streams.get("followup")
        rec = self.model.recorder
        if draw.random() < controls.p_handled_by_phone:
            rec.fact("outpatient", patient.person_id, self.condition, "phone", now, now, True)
            rec.fact("contacts", patient.person_id, now, self.name)
            if patient.unstable and draw.random() < controls.p_detect_by_phone:
                patient.stabilise("outpatient_phone")
            return None
        first = earliest_day(now, same_day=False)
        if self.reserve is not None and self.reserve.first_free_day(first) <= self.book.first_free_day(first):
            day = self.reserve.book(first)
            self._reserve_booked[SUBACUTE][day] += 1
        else:
            day = self.book.book(first)
        return day + APPOINTMENT_TIME_OF_DAY

    def attend_subacute(self, patient: Patient, requested: float, appointment: float) -> None:
        path = self.model.cfg.pathways
        if self._attends(patient, "subacute", requested, appointment):
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
        path = self.model.cfg.pathways
        if not self._attends(patient, NEW_REFERRAL, requested, appointment):
            return
        followup = patient.streams.get("followup")
        if patient.unstable and followup.random() < path.p_detect_at_control:
            patient.stabilise("outpatient_new_referral")
        if not patient.hospital_followed[self.condition] and followup.random() < path.p_enrol_after_new_referral:
            patient.hospital_followed[self.condition] = True
            self.follow(patient, +1)
            self.book_control(patient, appointment + path.control_interval_days)

    def book_background(self, day: int, n: int) -> None:
        """New referrals of people outside the modelled caseload (waits recorded in aggregate)."""
        for appointment_day, count in self.book.book_many(day + 1, n):
            self.model.recorder.fact("outpatient_background", self.condition, float(day), appointment_day + APPOINTMENT_TIME_OF_DAY, count)

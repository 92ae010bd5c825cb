"""General practice: the gatekeeper. Owns same-day and planned appointment books.

A practice closes most contacts and refers some on (Slides l.41-44: about 90/10). Chronic patients'
deteriorations are booked in the same-day book; annual checks of patients not followed at hospital
in the planned book. The rest of the listed population is background load booked in bulk each
weekday (``book_background``), so chronic patients queue behind everyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from ..capacity import APPOINTMENT_TIME_OF_DAY, AppointmentBook, earliest_day
from ..facts.core import Contact, GpContact

if TYPE_CHECKING:
    from ..model import CareModel
    from .patient import Patient


class GeneralPractice(mesa.Agent):
    def __init__(self, model: CareModel, index: int, municipality: int, n_gps: float):
        super().__init__(model)
        cfg = model.cfg
        self.index = index
        self.name = f"gp_{index}"
        self.municipality = municipality
        self.n_gps = n_gps
        per_day = n_gps * cfg.capacity.gp_consultations_per_gp_day
        unlimited = cfg.capacity.unlimited_capacity
        self.same_day = AppointmentBook(f"{self.name}/same-day", per_day * cfg.capacity.gp_acute_share,
                                        model.horizon_days, unlimited)
        planned_per_day = per_day * (1 - cfg.capacity.gp_acute_share)
        # a capacity calendar may add or remove planned GP slots on planned days (capacity moves)
        changes = [] if unlimited else model.capacity_plan.practice_changes(planned_per_day)
        self.planned = AppointmentBook(f"{self.name}/planned", planned_per_day, model.horizon_days, unlimited,
                                       changes=changes)

    # -- chronic patients ---------------------------------------------------------------------------
    def book_same_day(self, now: float) -> float:
        """Appointment time for a patient calling about a deterioration at ``now``."""
        return self.same_day.book(earliest_day(now, same_day=True)) + APPOINTMENT_TIME_OF_DAY

    def book_check(self, due: float) -> float:
        """Appointment time of a planned annual check due at ``due``."""
        return self.planned.book(earliest_day(due, same_day=False)) + APPOINTMENT_TIME_OF_DAY

    def decide_on_deterioration(self, patient: Patient) -> str:
        """The GP's decision: ``closed`` (treated here), ``refer_acute`` or ``refer_outpatient``."""
        path = self.model.cfg.pathways
        draw = patient.streams.get("episode")
        if draw.random() >= path.p_gp_refer_deterioration * self.model.cfg.scenario.gp_referral.ratio:
            return "closed"
        return "refer_acute" if draw.random() < path.gp_referral_acute_share else "refer_outpatient"

    # -- background population ----------------------------------------------------------------------
    def book_background(self, day: int, same_day: int, planned: int) -> None:
        """Book a weekday's routine contacts of the listed population (no individual agents)."""
        self.same_day.book_many(day, same_day)
        self.planned.book_many(day + 1, planned)

    def utilisation(self, d0: int, d1: int) -> tuple[int, int]:
        """(booked, capacity) slots over days ``[d0, d1)``."""
        booked = self.same_day.booked_between(d0, d1) + self.planned.booked_between(d0, d1)
        cap = self.same_day.capacity_between(d0, d1) + self.planned.capacity_between(d0, d1)
        return booked, cap

    def planned_utilisation(self, d0: int, d1: int) -> tuple[int, int]:
        """(booked, capacity) planned slots over days ``[d0, d1)``."""
        return self.planned.booked_between(d0, d1), self.planned.capacity_between(d0, d1)

    def book_check_for(self, patient: Patient, due: float) -> None:
        """Book a planned annual check and put it in the patient's agenda (one pending check at a time)."""
        if patient.gp_check_pending:
            return
        patient.gp_check_pending = True
        patient.add_to_agenda(self.book_check(due), self.attend_check, due)

    def attend_check(self, patient: Patient, appointment: float, due: float) -> None:
        """A planned check of a chronic patient followed in general practice."""
        model = self.model
        path = model.cfg.pathways
        patient.gp_check_pending = False
        if any(patient.hospital_followed):  # taken into hospital follow-up since the check was booked
            return
        if not patient.is_away():
            model.recorder.fact(GpContact(person_id=patient.person_id, practice=self.index, requested=due,
                                          seen=appointment, kind="check", referred=False))
            model.recorder.fact(Contact(person_id=patient.person_id, time=appointment, actor=self.name))
            if patient.unstable and patient.streams.get("followup").random() < path.p_detect_at_gp_check:
                patient.stabilise("gp_check")
            self.book_check_for(patient, due + path.control_interval_days)
        else:
            self.book_check_for(patient, model.env.now + 1.0)

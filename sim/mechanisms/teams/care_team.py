"""A team with a caseload: care coordinators, a complex-care team, an ACT team.

What every such function shares (Buch (DSI) l.1242-1679; VIVE 2018 §6):

* **places**: staff × caseload per staff member; a referred patient takes a place if one is free,
  otherwise waits in the intake queue (first come, first served); the wait is recorded;
* **cases** close after ``case_days`` (goal-defined) or stay open until the patient leaves or drops out
  (open-ended): with open-ended cases the places fill and the queue grows (Buch (DSI) l.1635-1661);
* **contacts** at a regular interval, booked in the patient's agenda so they run inside the patient's
  own process: a contact can catch an unstable phase and get it treated;
* **cost**: staff cost (or a cost per citizen-year) booked to the payer of the function.

What a team *does* around admissions and discharges (covering handoffs, joint discharge plans,
pre-arranged home nursing, earlier discharge, crises handled at home) is decided at the moments usual care
offers, looking at the teams that hold the patient (``patient.teams``): see ``sim.mechanisms.teams.mechanism``; who is
referred to which team is in ``sim.mechanisms.teams.referrals``.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import mesa

from ...capacity import TimeWeighted
from ...facts.core import Contact
from ...facts.teams import TeamCase

if TYPE_CHECKING:
    from ...model import CareModel
    from ...agents.patient import Patient


@dataclass
class TeamRole:
    """What the team does for its patients (read by the teams mechanism's hooks)."""

    covers_handoffs: bool = False
    information_access: float = 0.0       # share of discharges it learns of in time
    p_handoff_repair: float = 0.0         # chance it rescues a failing handoff it covers
    joint_discharge_plan: bool = False    # complex-care team: explicit handover to GP and home nursing
    p_fail_gp_with_plan: float = 1.0
    p_fail_municipality_with_plan: float = 1.0
    prearranges_home_nursing: bool = False
    early_discharge_days: float = 0.0
    psychiatric_stay_saved_share: float = 0.0
    p_crisis_handled_at_home: float = 0.0
    navigation_effect: float = 0.0
    follow_up_after_discharge_days: float | None = None
    partner_slots_per_discharge: float = 0.0
    conditions: tuple[int, ...] | None = None  # a disease-specific team acts only on these conditions
    p_activation_step: float = 0.0        # health coach: a contact may raise PAM by one level
    p_call_handled: float = 0.0           # health coach: takes the call about a moderate deterioration
    records_routine_contacts: bool = True  # False for telemonitoring: a review is not a contact; its call after an abnormal reading is


class CareTeam(mesa.Agent):
    def __init__(self, model: CareModel, name: str, places: int, *, case_days: float, contact_interval_days: float,
                 p_detect_at_contact: float, payer: str, role: TeamRole, staff: float,
                 cost_per_staff_year: float = 0.0, cost_per_case_year: float = 0.0, dropout_per_year: float = 0.0,
                 eligible: Callable[[Patient], bool] | None = None):
        super().__init__(model)
        self.name = name
        self.places = int(places)
        self.staff = staff
        self.case_days = case_days
        self.contact_interval = contact_interval_days
        self.p_detect = p_detect_at_contact
        self.payer = payer
        self.role = role
        self.cost_per_staff_year = cost_per_staff_year
        self.cost_per_case_year = cost_per_case_year
        self.dropout_per_year = dropout_per_year
        self.eligible = eligible or (lambda patient: True)
        self.active: dict[int, tuple[float, float]] = {}   # person id -> (case start, referred)
        self.queue: deque[tuple[Patient, float]] = deque()
        self._queued: set[int] = set()
        self._pam_at_start: dict[int, int] = {}
        self.in_use = TimeWeighted()
        self.waiting = TimeWeighted()

    # -- intake ------------------------------------------------------------------------------------
    def refer(self, patient: Patient) -> None:
        """Refer a patient: a free place now, otherwise the intake queue."""
        pid = patient.person_id
        if pid in self.active or pid in self._queued or not patient.alive:
            return
        now = self.model.env.now
        if len(self.active) < self.places:
            self._start(patient, now)
        else:
            self.queue.append((patient, now))
            self._queued.add(pid)
            self.waiting.change(+1, now)

    def _start(self, patient: Patient, referred: float) -> None:
        now = self.model.env.now
        self.active[patient.person_id] = (now, referred)
        self._pam_at_start[patient.person_id] = patient.pam
        self.in_use.change(+1, now)
        patient.join_team(self)
        self.model.recorder.event(patient.person_id, "resource_use", f"{self.name}_case_start", now, None, self.name)
        patient.add_to_agenda(now + self.contact_interval, self.contact, now)

    def _next_from_queue(self) -> None:
        now = self.model.env.now
        while self.queue and len(self.active) < self.places:
            patient, referred = self.queue.popleft()
            self._queued.discard(patient.person_id)
            self.waiting.change(-1, now)
            if patient.alive and self.eligible(patient):
                self._start(patient, referred)

    def close(self, patient: Patient, reason: str) -> None:
        """End a case (goal reached, dropout, or the patient left) and take the next referral in."""
        pid = patient.person_id
        case = self.active.pop(pid, None)
        if case is None:
            if pid in self._queued:  # left while waiting
                self._queued.discard(pid)
                self.queue = deque((p, t) for p, t in self.queue if p.person_id != pid)
                self.waiting.change(-1, self.model.env.now)
            return
        now = self.model.env.now
        start, referred = case
        self.in_use.change(-1, now)
        patient.leave_team(self)
        self.model.recorder.fact(TeamCase(team=self.name, person_id=pid, referred=referred, started=start, ended=now,
                                          reason=reason, pam_start=self._pam_at_start.pop(pid), pam_end=patient.pam))
        self.model.recorder.event(pid, "resource_use_end", f"{self.name}_case_end", now, None, self.name)
        self._next_from_queue()

    # -- work with the patient -----------------------------------------------------------------------
    def contact(self, patient: Patient, time: float, case_start: float) -> None:
        """A planned contact (an agenda callback, so it runs in the patient's own process)."""
        if self._case_start(patient) != case_start:
            return  # the case ended in the meantime
        draw = patient.streams.get("team")
        if self.dropout_per_year > 0 and draw.random() < 1.0 - math.exp(-self.dropout_per_year * self.contact_interval / 365.0):
            self.close(patient, "dropout")
            return
        if not patient.is_away():
            if self.role.records_routine_contacts:
                self.model.recorder.fact(Contact(person_id=patient.person_id, time=time, actor=self.name))
            if patient.unstable and draw.random() < self.p_detect:
                if not self.role.records_routine_contacts:
                    self.model.recorder.fact(Contact(person_id=patient.person_id, time=time, actor=self.name))
                patient.stabilise(self.name)
            if self.role.p_activation_step > 0 and patient.pam < 4 and draw.random() < self.role.p_activation_step:
                patient.set_activation(patient.pam + 1)
        if self.case_days > 0 and time - case_start >= self.case_days - 1e-9:
            self.close(patient, "goal_reached")
            return
        patient.add_to_agenda(time + self.contact_interval, self.contact, case_start)

    def follow_up_after_discharge(self, patient: Patient) -> None:
        """An extra contact a few days after discharge (coordinators and complex-care teams)."""
        days = self.role.follow_up_after_discharge_days
        start = self._case_start(patient)
        if days is None or start is None:
            return
        patient.add_to_agenda(self.model.env.now + days, self._post_discharge_contact, start)

    def _post_discharge_contact(self, patient: Patient, time: float, case_start: float) -> None:
        if self._case_start(patient) != case_start or patient.is_away():
            return
        self.model.recorder.fact(Contact(person_id=patient.person_id, time=time, actor=self.name))
        if patient.unstable and patient.streams.get("team").random() < self.p_detect:
            patient.stabilise(self.name)

    def _case_start(self, patient: Patient) -> float | None:
        case = self.active.get(patient.person_id)
        return None if case is None else case[0]

    def open_case_rows(self, now: float) -> list[tuple]:
        """Cases still open, as ``team_cases`` rows ending now."""
        patients = {p.person_id: p for p in self.model.patients_by_id(self.active)}
        return [(self.name, pid, referred, start, now, "open", self._pam_at_start[pid], patients[pid].pam)
                for pid, (start, referred) in self.active.items()]

    def acts_on(self, condition: int) -> bool:
        return self.role.conditions is None or condition in self.role.conditions

    # -- cost ------------------------------------------------------------------------------------------
    def cost_between(self, t0: float, t1: float) -> float:
        """Cost of the function over ``[t0, t1]`` (staff are paid whether or not places are used)."""
        years = max(0.0, t1 - t0) / 365.0
        return self.staff * self.cost_per_staff_year * years + self.cost_per_case_year * self.in_use.mean(t0, t1) * years

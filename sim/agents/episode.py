"""A deterioration episode: the care path of one deterioration, from onset to its outcome (MODEL.md §3.2).

A patient's deterioration runs as a SimPy process of its own (``Patient.lifecycle`` starts it), so the life
process keeps drawing the next deterioration, change of phase and exit meanwhile (no queue hides a patient,
MODEL.md §6). A moderate deterioration is taken to the GP if the patient seeks care (less likely with low
activation or vulnerability), after a delay; while untreated it may escalate to acute, also while the
patient waits for a GP slot. The GP closes it or refers on. The acute path runs through the ED to a ward
bed (``sim.agents.hospital``), then the discharge handoffs (``sim.agents.discharge``). Scenario mechanisms
act at the hooks named in the code (``model.hooks``, ``sim.mechanisms.hooks``).

``DeteriorationEpisodes`` is a part of :class:`~sim.agents.patient.Patient` (a base class it inherits),
kept apart because the life process and the care path of an episode are two responsibilities.
"""

from __future__ import annotations

import math

import simpy
from ..facts.core import Contact, Deterioration, GpContact

NO_CONTACT = "no_contact"  # a mechanism's answer to seeks_care_elsewhere: the patient seeks no care at all
ESCALATE = "escalate"  # the cause of the interrupt a new deterioration sends to an episode waiting at home
# where a patient is while an episode runs (appointments are missed when the patient is not at home)
HOME, IN_ED, BOARDING, IN_BED, IN_MUNICIPAL_BED = "home", "ed", "boarding", "in_bed", "municipal_acute"
# the outcome recorded for a deterioration that starts during an episode, by where the patient is
JOINED_OUTCOMES = {HOME: "joined_episode_at_home", IN_ED: "while_in_ed", BOARDING: "while_boarding",
           IN_BED: "while_admitted", IN_MUNICIPAL_BED: "while_in_municipal_bed"}


class DeteriorationEpisodes:
    """The episode behaviour of a patient (mixed into ``Patient``, whose state it reads and changes)."""

    def _episode(self):
        """SimPy process: one deterioration episode; the life process goes on meanwhile."""
        try:
            yield from self.deteriorate()
        except simpy.Interrupt:
            pass  # the patient died: every place the episode held was given back where it was held
        self.episode = None
        self._waiting_at_home = False
        self.location = HOME

    def _join_episode(self, u: float) -> None:
        """A deterioration during an episode: recorded where the patient is; at home it makes the episode acute."""
        now = self.model.env.now
        condition = self._attribute(u)
        self.model.recorder.fact(Deterioration(person_id=self.person_id, time=now, condition=condition,
                                               unstable=self.unstable, outcome=JOINED_OUTCOMES[self.location]))
        if self.location == HOME and self._waiting_at_home:
            self._waiting_at_home = False
            self.episode.interrupt(ESCALATE)

    def wait_at_home(self, delay: float):
        """SimPy generator: wait at home for ``delay`` days; returns True if a new deterioration made the
        episode acute meanwhile (it then ends the wait at once)."""
        self._waiting_at_home = True
        try:
            yield self.model.env.timeout(delay)
        except simpy.Interrupt as interrupt:
            if interrupt.cause != ESCALATE:
                raise
            return True
        self._waiting_at_home = False
        return False

    def deteriorate(self):
        """SimPy generator: one deterioration episode from onset to its outcome."""
        model = self.model
        env, path, rec = model.env, model.cfg.pathways, model.recorder
        draw = self.streams.get("episode")
        onset = env.now
        was_unstable = self.unstable
        condition = self._attribute(draw.random())
        acute = draw.random() < (path.p_severe_unstable if self.unstable else path.p_severe)
        outcome = "acute"
        if not acute:
            try:
                outcome, acute = yield from self._moderate(draw, onset, condition)
            except simpy.Interrupt:
                rec.fact(Deterioration(person_id=self.person_id, time=onset, condition=condition,
                                       unstable=was_unstable, outcome="died_during_episode"))
                raise
        rec.fact(Deterioration(person_id=self.person_id, time=onset, condition=condition, unstable=was_unstable,
                               outcome=outcome))
        if acute:
            yield from self._acute_path(condition, referred_by_gp=outcome == "gp_referred_acute")

    def _moderate(self, draw, onset: float, condition: int):
        """SimPy generator: a moderate deterioration at home until it is handled, settles or becomes acute.
        Returns ``(outcome, goes_acute)``. A new deterioration meanwhile makes it acute at once."""
        env, path = self.model.env, self.model.cfg.pathways
        escalate_at = onset + (draw.expovariate(path.escalation_rate_per_day) if path.escalation_rate_per_day > 0 else math.inf)
        # a mechanism may make somewhere else the place the patient turns (e.g. the clinic on needs-based follow-up)
        elsewhere = yield from self.model.hooks.seeks_care_elsewhere(self, condition, escalate_at)
        if elsewhere is not None and elsewhere != NO_CONTACT:
            return elsewhere
        if elsewhere == NO_CONTACT or draw.random() >= self.seek_care_probability():
            resolve_at = onset + (draw.expovariate(path.resolution_rate_per_day) if path.resolution_rate_per_day > 0 else math.inf)
            if escalate_at < resolve_at:
                yield from self.wait_at_home(escalate_at - onset)
                return "escalated_unattended", True
            return "resolved_unattended", False
        contact_at = onset + (draw.expovariate(1.0 / path.seek_delay_mean_days) if path.seek_delay_mean_days > 0 else 0.0)
        if escalate_at <= contact_at:
            yield from self.wait_at_home(escalate_at - onset)
            return "escalated_before_contact", True
        if (yield from self.wait_at_home(contact_at - onset)):
            return "escalated_before_contact", True
        taken_by = self.model.hooks.takes_moderate_call(self)  # e.g. a health coach instead of the GP
        if taken_by is not None:
            self.model.recorder.fact(Contact(person_id=self.person_id, time=env.now, actor=taken_by))
            return "handled_by_coach", False
        return (yield from self._see_gp(condition, escalate_at))

    def _attribute(self, u: float) -> int:
        """Which condition the deterioration belongs to, in proportion to the condition rates."""
        target = u * self.stable_rate
        for c, rate in zip(self.conditions, self.condition_rates):
            target -= rate
            if target <= 0:
                return c
        return self.conditions[-1]

    def _see_gp(self, condition: int, escalate_at: float):
        """SimPy generator: book a same-day GP slot; returns ``(outcome, goes_acute)``."""
        model = self.model
        env, rec, path = model.env, model.recorder, model.cfg.pathways
        practice = model.practices[self.practice_index]
        requested = env.now
        appointment = practice.book_same_day(requested)
        rec.event(self.person_id, "queue", "gp_wait", requested, None, practice.name)
        if escalate_at < appointment:
            yield from self.wait_at_home(escalate_at - requested)
            return "escalated_waiting_for_gp", True
        if (yield from self.wait_at_home(appointment - requested)):
            return "escalated_waiting_for_gp", True
        decision = practice.decide_on_deterioration(self)
        rec.fact(GpContact(person_id=self.person_id, practice=practice.index, requested=requested, seen=appointment,
                           kind="deterioration", referred=decision != "closed"))
        rec.fact(Contact(person_id=self.person_id, time=appointment, actor=practice.name))
        rec.event(self.person_id, "resource_use", "gp_consultation", appointment, None, practice.name)
        if decision == "closed":
            if self.streams.get("episode").random() < path.p_gp_treatment_stabilises:
                self.stabilise("gp_consultation")
            return "gp_closed", False
        if decision == "refer_outpatient":
            model.clinics[condition].refer_deterioration(self, env.now)
            return "gp_referred_outpatient", False
        return "gp_referred_acute", True

    def _acute_path(self, condition: int, referred_by_gp: bool = False):
        """SimPy generator: ED, admission, discharge and handoffs."""
        model = self.model
        env, path = model.env, model.cfg.pathways
        hooks = model.hooks
        if hooks.handles_crisis_at_home(self, condition):  # e.g. an outreach team's hotline
            return
        # a scenario may send the patient elsewhere first (e.g. a municipal acute bed, the discharging ward)
        entry = yield from hooks.before_ed(self, condition, referred_by_gp)
        if entry == "home":
            return
        if entry == "ed":
            admitted = yield from model.emergency_department.assess(self)
            if not admitted:
                return
        ward = model.ward_for(condition)
        admitted_at = env.now
        stay = yield from ward.admit(self, condition, path.los_mean_days[condition])
        self.location = HOME
        # treatment ends the unstable phase in proportion to the share of the planned stay it had
        p_stabilises = hooks.p_inpatient_stabilises(path.p_inpatient_stabilises) * stay.served_share
        if self.streams.get("clinical").random() < p_stabilises:
            self.stabilise("inpatient")
        failed = ward.discharge_handoffs(self, stay)
        now = env.now
        self.admission_history.append((admitted_at, now - admitted_at))
        hooks.after_discharge(self, condition)  # e.g. a team's follow-up, or a referral to one
        self.post_discharge_until = now + path.post_discharge_days
        self.failed_handoff_until = now + path.post_discharge_days if failed else -math.inf
        self.rates_changed()

"""The patient: a Mesa agent whose life in the catchment is one SimPy process.

Disease dynamics (MODEL.md §3.2). Each patient alternates between *stable* and *unstable* phases (a
two-state Markov chain): high use comes in spells and is not persistent (VIVE 2018 l.1032-1037;
SST 2013 l.1191-1192). Deteriorations arrive with a rate that depends on the conditions, age,
activation (PAM), vulnerability and frailty, is multiplied in an unstable phase, and is raised for
the post-discharge window, more so when a discharge handoff failed.

All rates are piecewise constant, so the process samples the next change exactly: the competing
exponential times of "a deterioration" and "a change of phase", cut at the next boundary (an
appointment in the agenda, the end of a post-discharge window, exit). No daily ticking.

A deterioration is acute from the start or moderate. A moderate one is taken to the GP if the patient
seeks care (less likely with low activation or vulnerability), after a delay; while untreated it may
escalate to acute, also while the patient waits for a GP slot (so GP waits matter). The GP closes it or
refers on. The acute path runs through the ED to a ward bed (see ``sim.agents.hospital``). The care path of
one deterioration is ``sim.agents.episode``.

**No queue hides a patient** (MODEL.md §6). The life process (``lifecycle``) never waits for care: each
deterioration runs as an *episode*, a SimPy process of its own, while the life process keeps drawing the
patient's next deterioration, change of phase and exit. A deterioration during an episode joins it: at home
(waiting for a GP or clinic slot, or before calling) it makes the ongoing episode acute at once; in the ED,
waiting for a bed, in a bed or in a municipal acute bed it is recorded where it happened (the staff there
treat it). A death ends an episode wherever the patient is (the bed, the place in the queue and a pending
home-nursing request are given back); a move out of the catchment waits until the episode is over.
"""

from __future__ import annotations

import heapq
import math

import simpy
from typing import TYPE_CHECKING, Callable

import mesa

from ..config import CONDITIONS
from ..population import PatientTable, exit_rate_per_year, instability_onset_per_year, stationary_unstable_probability
from .episode import (BOARDING, ESCALATE, HOME, IN_BED, IN_ED, IN_MUNICIPAL_BED, JOINED_OUTCOMES, NO_CONTACT,
                      DeteriorationEpisodes)
from ..facts.core import DeathInCare, Detection, Entry, Exit

if TYPE_CHECKING:
    from ..model import CareModel

SMI = CONDITIONS.index("smi")
DEMENTIA = CONDITIONS.index("dementia")
_EPS = 1e-9
# the places and outcomes of an episode are defined with it (sim.agents.episode) and named here for readers
__all__ = ["BOARDING", "ESCALATE", "HOME", "IN_BED", "IN_ED", "IN_MUNICIPAL_BED", "JOINED_OUTCOMES", "NO_CONTACT",
           "Patient"]



class Patient(DeteriorationEpisodes, mesa.Agent):
    """A chronic patient: state, rates, follow-up agenda and the life process; each deterioration's care path
    is an episode (``DeteriorationEpisodes``, ``sim.agents.episode``)."""

    def __init__(self, model: CareModel, table: PatientTable, row: int):
        super().__init__(model)
        cfg, path, pop = model.cfg, model.cfg.pathways, model.cfg.population
        cols = table.as_lists()  # plain Python values (int, float, bool), built once per table
        self.person_id = cols["person_id"][row]
        self.entry_time = cols["entry_time"][row]
        self.age_at_entry = cols["age"][row]
        self.age_band = cols["age_band"][row]
        self.municipality = cols["municipality"][row]
        self.practice_index = cols["practice"][row]
        self.condition_flags = list(cols["conditions"][row])  # copies: an agent may change its own
        self.conditions = tuple(i for i, has in enumerate(self.condition_flags) if has)
        self.hospital_followed = list(cols["hospital_followed"][row])
        self.substance_misuse = cols["substance_misuse"][row]
        self.vulnerable = cols["vulnerable"][row]
        self.pam = cols["pam"][row]
        self.frailty = cols["frailty"][row]
        self.tier = cols["tier"][row]
        self.prior_admissions_2y = cols["prior_admissions_2y"][row]
        self.streams = model.streams.patient(self.person_id)

        self._set_rates()

        # state
        self.unstable = self.streams.get("timing").random() < float(stationary_unstable_probability(cfg, self.stable_rate * 365.0))
        self.post_discharge_until = -math.inf
        self.failed_handoff_until = -math.inf
        self.agenda: list[tuple[float, int, Callable, float]] = []
        self._agenda_seq = 0
        self.gp_check_pending = False
        self.patient_initiated: set[int] = set()  # conditions on needs-based (patient-initiated) follow-up
        self.pro_followed: set[int] = set()       # conditions followed by periodic PRO questionnaires
        self.last_clinic_contact: dict[int, float] = {}  # condition -> last time the clinic heard from the patient
        self.alive = True
        self.teams: list = []                  # teams with an open case for this patient (scenario mechanisms)
        self._idle_until: float | None = None  # set while the life process sleeps towards a boundary
        self.episode: simpy.Process | None = None  # the deterioration episode in progress, if any
        self.location = HOME
        self._waiting_at_home = False  # the episode waits at home (a new deterioration then makes it acute)
        # admissions as (time admitted, bed days); the two years before the start are drawn from prior use
        history = self.streams.get("history")
        mean_stay = path.los_mean_days[SMI] if self.condition_flags[SMI] else path.los_mean_days[self.conditions[0]]
        self.admission_history: list[tuple[float, float]] = sorted(
            (self.entry_time - 730.0 * history.random(), history.expovariate(1.0 / mean_stay))
            for _ in range(self.prior_admissions_2y))

        exit_draw = self.streams.get("exit")
        exit_rate = float(exit_rate_per_year(cfg, self.age_band, len(self.conditions))) / 365.0
        move = pop.move_out_rate / 365.0
        if exit_rate > 0:
            self.exit_time = self.entry_time + exit_draw.expovariate(exit_rate)
            self.exit_reason = "moved" if exit_draw.random() * exit_rate < move else "death"
        else:
            self.exit_time, self.exit_reason = math.inf, "none"

        self._book_initial_follow_up()
        model.recorder.fact(Entry(person_id=self.person_id, time=self.entry_time))
        model.recorder.event(self.person_id, "arrival_departure", "arrival", self.entry_time, None, "catchment")
        self.process = model.env.process(self.lifecycle())

    def _set_rates(self) -> None:
        """Deterioration rates per day in a stable phase, by condition (for attributing an episode), the rate
        of entering an unstable phase and the probability of seeking care; they depend on activation (PAM)."""
        cfg, path = self.model.cfg, self.model.cfg.pathways
        common = (path.deterioration_age_ratio[self.age_band] * path.deterioration_pam_ratio[self.pam - 1]
                  * (path.deterioration_vulnerable_ratio if self.vulnerable else 1.0)
                  * self.frailty ** path.deterioration_frailty_exponent) / 365.0
        self.condition_rates = [path.deterioration_rate[c] * common for c in self.conditions]
        self.stable_rate = sum(self.condition_rates)
        self.onset_rate = float(instability_onset_per_year(cfg, self.stable_rate * 365.0)) / 365.0
        self.recovery_rate = 1.0 / path.instability_mean_days
        self.p_seek_care = path.p_seek_care[self.pam - 1] * (path.seek_care_vulnerable_ratio if self.vulnerable else 1.0)
        self.p_home_nursing = min(1.0, path.p_home_nursing[self.age_band]
                                  + (path.home_nursing_dementia_extra if self.condition_flags[DEMENTIA] else 0.0))

    def set_activation(self, pam: int) -> None:
        """A new activation level (e.g. after coaching); rates follow from it."""
        self.pam = pam
        self._set_rates()
        self.rates_changed()

    # -- follow-up agenda ------------------------------------------------------------------------
    def _book_initial_follow_up(self) -> None:
        """Controls (hospital-followed conditions) or an annual GP check, due at a random phase of the interval."""
        model, path = self.model, self.model.cfg.pathways
        phase = self.streams.get("followup")
        any_hospital = False
        for c in self.conditions:
            if self.hospital_followed[c]:
                any_hospital = True
                model.clinics[c].follow(self, +1)
                model.clinics[c].book_control(self, self.entry_time + phase.random() * path.control_interval_days)
        if not any_hospital and path.gp_annual_check_for_gp_followed:
            practice = model.practices[self.practice_index]
            practice.book_check_for(self, self.entry_time + phase.random() * path.control_interval_days)

    def add_to_agenda(self, time: float, callback: Callable, arg: float) -> None:
        """An appointment: ``callback(patient, time, arg)`` runs when the patient's clock reaches ``time``."""
        self._agenda_seq += 1
        heapq.heappush(self.agenda, (time, self._agenda_seq, callback, arg))
        # booked from outside the patient's own process (e.g. a team taking the patient from its queue)
        # while the process sleeps towards a later boundary: wake it so it plans around the new item
        if (self._idle_until is not None and time < self._idle_until - _EPS
                and self.model.env.active_process is not self.process):
            self._idle_until = None
            self.process.interrupt("agenda")

    def is_away(self) -> bool:
        """True while the patient is in the ED, waiting for a bed or in a bed: an appointment then is missed."""
        return self.location != HOME

    def stabilise(self, where: str) -> None:
        """A clinician caught the unstable phase and treated it."""
        if self.unstable:
            self.unstable = False
            self.model.recorder.fact(Detection(person_id=self.person_id, time=self.model.env.now, where=where))
            self.rates_changed()

    def rates_changed(self) -> None:
        """State that sets the deterioration rate changed outside the life process: wake it to plan again
        (rates are memoryless, so planning again from now is exact)."""
        if self._idle_until is not None and self.model.env.active_process is not self.process:
            self._idle_until = None
            self.process.interrupt("rates")

    # -- teams and history ---------------------------------------------------------------------------
    def join_team(self, team) -> None:
        self.teams.append(team)

    def leave_team(self, team) -> None:
        self.teams.remove(team)

    def seek_care_probability(self) -> float:
        """Probability of contacting care about a moderate deterioration (a team's navigation help may raise it)."""
        return self.model.hooks.seek_care_probability(self, self.p_seek_care)

    def admissions_within(self, days: float) -> tuple[int, float]:
        """(admissions, bed days) with admission in the last ``days`` days."""
        since = self.model.env.now - days
        recent = [bed_days for admitted, bed_days in self.admission_history if admitted >= since]
        return len(recent), sum(recent)

    # -- rates -----------------------------------------------------------------------------------
    def deterioration_rate(self, now: float) -> float:
        path = self.model.cfg.pathways
        rate = self.stable_rate
        if self.unstable:
            rate *= path.unstable_ratio
        if now < self.post_discharge_until:
            rate *= path.post_discharge_ratio
            if now < self.failed_handoff_until:
                rate *= path.failed_handoff_ratio
        return rate

    # -- the life process ------------------------------------------------------------------------
    def lifecycle(self):
        env = self.model.env
        if self.entry_time > env.now:
            yield env.timeout(self.entry_time - env.now)
        timing = self.streams.get("timing")
        agenda = self.agenda
        end = self.model.end_time + 1.0
        while True:
            now = env.now
            while agenda and agenda[0][0] <= now + _EPS:
                time, _, callback, arg = heapq.heappop(agenda)
                callback(self, time, arg)
            if now >= self.exit_time - _EPS:
                yield from self._leave()
                return
            boundary = min(self.exit_time, end)
            if agenda and agenda[0][0] < boundary:
                boundary = agenda[0][0]
            if now < self.post_discharge_until < boundary:
                boundary = self.post_discharge_until
            if now < self.failed_handoff_until < boundary:
                boundary = self.failed_handoff_until
            deterioration = self.deterioration_rate(now)
            switch = self.recovery_rate if self.unstable else self.onset_rate
            total = deterioration + switch
            wait = timing.expovariate(total) if total > 0 else math.inf
            wake = min(boundary, now + wait)
            self._idle_until = wake
            try:
                yield env.timeout(wake - now)
            except simpy.Interrupt:
                continue  # a new appointment or a changed rate: rates are memoryless, so plan again from here
            self._idle_until = None
            if wake >= boundary:
                continue
            if timing.random() * total < switch:
                self.unstable = not self.unstable
                continue
            if self.episode is None:
                self.episode = env.process(self._episode())
            else:
                self._join_episode(timing.random())

    def _leave(self):
        """SimPy generator: leave the catchment. A death ends an episode in progress at once; a move waits for it."""
        if self.episode is not None:
            if self.exit_reason == "death":
                self.model.recorder.fact(DeathInCare(person_id=self.person_id, time=self.model.env.now,
                                                     place=self.location))
                self.episode.interrupt("death")
            yield self.episode
        self._exit()

    def _exit(self) -> None:
        model = self.model
        now = model.env.now
        self.alive = False
        model.recorder.fact(Exit(person_id=self.person_id, time=now, reason=self.exit_reason))
        model.municipalities[self.municipality].stop_home_nursing(self.person_id)
        model.recorder.event(self.person_id, "arrival_departure", "depart", now, None, "catchment")
        for c in self.conditions:
            if self.hospital_followed[c]:
                model.clinics[c].follow(self, -1)
        model.hooks.at_exit(self)  # e.g. teams close the patient's cases
        model.patient_exited(self)
        self.remove()

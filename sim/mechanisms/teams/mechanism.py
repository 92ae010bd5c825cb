"""Teams as a mechanism: care coordinators, the complex-care team, the ACT team and health coaches.

Who the teams are and whom they take on is in ``referrals``; the team agent is ``care_team``. This module
is what the teams do at the moments usual care offers (``sim.mechanisms.hooks``): they take patients on at
entry and after a discharge, help patients seek care, take calls (health coaches), handle crises at home
(the ACT hotline), shorten stays when follow-up is secured, visit during an admission and pre-arrange home
nursing, plan discharges jointly and cover handoffs (coordinators). Each reads the roles of the teams that
hold the patient (``patient.teams``), in the order the patient joined them, so telemonitoring's team
(``sim.mechanisms.teams.telemonitoring``) is included: its role does none of this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...agents.discharge import GENERAL_PRACTICE, MUNICIPALITY
from ..hooks import Mechanism
from . import referrals
from .care_team import CareTeam
from ...facts.core import Contact, GpContact, HandoffRepair
from ...facts.teams import CrisisAtHome

if TYPE_CHECKING:
    from ...agents.discharge import DischargeHandoffs
    from ...agents.hospital import HospitalWard
    from ...agents.patient import Patient
    from ...model import CareModel


def coordinating(team: CareTeam) -> bool:
    """Teams that coordinate a discharge: they cover handoffs or make a joint discharge plan."""
    return team.role.covers_handoffs or team.role.joint_discharge_plan


class TeamLifecycle(Mechanism):
    """What every mechanism that runs teams does with them (the teams and telemonitoring): follow its
    patients up after a discharge or refer those who now meet a rule, restart the teams' counters when
    the results window opens, close a case when the patient leaves. ``referrals`` is set in ``add_agents``."""

    def __init__(self, model: CareModel):
        super().__init__(model)
        self.referrals: list[referrals.TeamReferrals] = []

    def _own_teams(self):
        return (team for referral in self.referrals for team in referral.teams)

    def after_discharge(self, patient: Patient, condition: int) -> None:
        """Teams follow their patients up after a discharge; others may now meet a team's referral rule."""
        for referral in self.referrals:
            team = referral.team_for(patient)
            if patient.person_id in team.active:
                team.follow_up_after_discharge(patient)
            elif referral.after_discharge is not None and referral.after_discharge(patient, condition):
                team.refer(patient)

    def start_results(self, now: float) -> None:
        for team in self._own_teams():
            team.in_use.restart(now)
            team.waiting.restart(now)

    def at_exit(self, patient: Patient) -> None:
        for team in self._own_teams():
            team.close(patient, "left_catchment")


class Teams(TeamLifecycle):
    name = "teams"
    config_sections = ("scenario.coordinator", "scenario.complex_care_team", "scenario.act_team",
                       "scenario.health_coach")
    patient_stream_purposes = ("team",)  # what coordinators and teams achieve at contacts, dropout

    @property
    def active(self) -> bool:
        return True  # the patient-side hooks read whatever teams hold the patient, telemonitoring's included

    def add_agents(self) -> None:
        self.referrals = referrals.build(self.model)
        self.model.teams.extend(self._own_teams())

    # -- intake -------------------------------------------------------------------------------------------
    def at_entry(self, patient: Patient) -> None:
        for referral in self.referrals:
            if referral.at_entry is not None and referral.at_entry(patient):
                referral.team_for(patient).refer(patient)

    # -- the patient's path -------------------------------------------------------------------------------
    def seek_care_probability(self, patient: Patient, p: float) -> float:
        """Navigation help closes part of the gap to always seeking care."""
        help_ = max((t.role.navigation_effect for t in patient.teams), default=0.0)
        return p + (1.0 - p) * help_

    def takes_moderate_call(self, patient: Patient) -> str | None:
        """A health coach may take the call about a moderate deterioration instead of the GP."""
        for team in patient.teams:
            if team.role.p_call_handled > 0 and patient.streams.get("team").random() < team.role.p_call_handled:
                return team.name
        return None

    def handles_crisis_at_home(self, patient: Patient, condition: int) -> bool:
        """An outreach team with a hotline may handle the crisis at home."""
        rec, now = self.model.recorder, self.model.env.now
        for team in patient.teams:
            p_home = team.role.p_crisis_handled_at_home
            if p_home > 0 and team.acts_on(condition) and patient.streams.get("team").random() < p_home:
                rec.fact(Contact(person_id=patient.person_id, time=now, actor=team.name))
                rec.fact(CrisisAtHome(person_id=patient.person_id, time=now, team=team.name))
                patient.stabilise(team.name)
                return True
        return False

    # -- in hospital --------------------------------------------------------------------------------------
    def length_of_stay(self, patient: Patient, ward: HospitalWard, condition: int, los: float) -> float:
        """The ward discharges earlier when a team secures follow-up at home (coordinator with a mandate)
        or takes over treatment (ACT team for psychiatric stays)."""
        saved_days = max((t.role.early_discharge_days for t in patient.teams if t.acts_on(condition)), default=0.0)
        if ward.name == "psychiatric_ward":
            share = max((t.role.psychiatric_stay_saved_share for t in patient.teams if t.acts_on(condition)), default=0.0)
            los *= 1.0 - share
        floor = self.model.cfg.pathways.min_stay_share_early_discharge * los
        return max(floor, los - saved_days) if saved_days > 0 else los

    def at_admission(self, patient: Patient, ward: HospitalWard, now: float) -> bool:
        """In-reach: the patient's team visits during the admission; some arrange home nursing meanwhile."""
        for team in patient.teams:
            if team.role.joint_discharge_plan or team.role.prearranges_home_nursing:
                self.model.recorder.fact(Contact(person_id=patient.person_id, time=now, actor=team.name))
        return any(t.role.prearranges_home_nursing for t in patient.teams)

    # -- discharge handoffs -------------------------------------------------------------------------------
    def discharge_coordinators(self, patient: Patient) -> list[CareTeam]:
        """The patient's coordinating teams (recorded in every scenario)."""
        return [team for team in patient.teams if coordinating(team)]

    def handoff_failure_probabilities(self, handoffs: DischargeHandoffs, p_gp: float,
                                      p_municipality: float) -> tuple[float, float]:
        """A complex-care team's joint discharge plan makes the handover explicit (lower failure probability)."""
        plan = [t for t in handoffs.patient.teams if t.role.joint_discharge_plan]
        return (min([p_gp] + [t.role.p_fail_gp_with_plan for t in plan]),
                min([p_municipality] + [t.role.p_fail_municipality_with_plan for t in plan]))

    def repair_handoffs(self, handoffs: DischargeHandoffs) -> None:
        """A coordinator who learns of the discharge in time can rescue a failing handoff; its calls take the
        GP's time (planned slots)."""
        patient = handoffs.patient
        covering = [t for t in patient.teams if t.role.covers_handoffs]
        if not covering:
            return
        model = self.model
        hooks, rec, now = model.hooks, model.recorder, handoffs.now
        team_draw = patient.streams.get("team")
        practice = model.practices[patient.practice_index]
        for team in covering:
            if team_draw.random() >= team.role.information_access:
                continue  # the coordinator did not hear of this discharge in time
            if hooks.coordinator_misses_patient(patient):
                handoffs.failed_patient_links += 1
                continue  # heard, but did not reach the patient: one more loose end, nothing done
            handoffs.acting.append(team)
            for _ in range(int(round(team.role.partner_slots_per_discharge))):
                slot = practice.book_check(now)
                rec.fact(GpContact(person_id=patient.person_id, practice=practice.index, requested=now, seen=slot,
                                   kind="coordination", referred=False))
            rec.fact(Contact(person_id=patient.person_id, time=now, actor=team.name))
            if handoffs.failed_gp and hooks.repair_succeeds(team_draw.random(), team.role.p_handoff_repair, GENERAL_PRACTICE):
                handoffs.failed_gp = False
                rec.fact(HandoffRepair(person_id=patient.person_id, time=now, team=team.name,
                                       target="general_practice"))
            if handoffs.failed_municipality and hooks.repair_succeeds(team_draw.random(), team.role.p_handoff_repair,
                                                                      MUNICIPALITY):
                handoffs.failed_municipality = False
                rec.fact(HandoffRepair(person_id=patient.person_id, time=now, team=team.name, target="municipality"))

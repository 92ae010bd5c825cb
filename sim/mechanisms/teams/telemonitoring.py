"""Telemonitoring (SST 2013 §6.1): home monitoring as a team with places, offered at a fixed control and,
optionally, after an admission for a monitored condition.

Under substitution the fixed controls of a monitored patient stop, except for patients who insist on keeping
them (SST 2013 l.3778-3782); in a parallel system they go on. The monitoring itself is a
:class:`~sim.mechanisms.teams.care_team.CareTeam` whose reviews can catch an unstable phase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ...config import CONDITIONS
from .care_team import CareTeam, TeamRole
from .mechanism import TeamLifecycle
from .referrals import TeamReferrals
from ...facts.controls import FollowUpSwitch

if TYPE_CHECKING:
    from ...agents.outpatient_clinic import OutpatientClinic
    from ...agents.patient import Patient
    from ...model import CareModel

class TelemonitoringReferrals(TeamReferrals):
    """Home monitoring (SST 2013 §6.1): the clinic offers it at a fixed control, the ward after an admission
    for a monitored condition. Under substitution the fixed controls of a monitored patient stop, except for
    patients who insist on keeping them (SST 2013 l.3778-3782); in a parallel system they go on."""

    def __init__(self, team: CareTeam, conditions: tuple[int, ...], substitution: bool, p_keep_controls: float,
                 after_discharge: Callable[[Patient, int], bool] | None):
        super().__init__(team, after_discharge=after_discharge)
        self.conditions = conditions
        self.substitution = substitution
        self.p_keep_controls = p_keep_controls
        self._keeps_controls: set[tuple[int, int]] = set()  # (person, condition) who chose to keep controls

    def offered_at_control(self, patient: Patient, condition: int) -> bool:
        """Offer monitoring at a fixed control; return True if this condition's fixed controls stop now."""
        if condition not in self.conditions:
            return False
        team = self.teams[0]
        team.refer(patient)  # no-op if already monitored or waiting for a place
        key = (patient.person_id, condition)
        if not self.substitution or patient.person_id not in team.active or key in self._keeps_controls:
            return False
        if patient.streams.get("followup").random() < self.p_keep_controls:
            self._keeps_controls.add(key)
            return False
        patient.model.recorder.fact(FollowUpSwitch(person_id=patient.person_id, time=patient.model.env.now,
                                                   condition=condition))
        return True


def telemonitoring(model: CareModel) -> list[TeamReferrals]:
    cfg = model.cfg.scenario.telemonitoring
    if not cfg.enabled:
        return []
    conditions = tuple(CONDITIONS.index(c) for c in cfg.conditions)
    places = int(round(cfg.places_per_1000 * model.cfg.population.inhabitants / 1000.0))
    role = TeamRole(conditions=conditions, records_routine_contacts=False)
    # priced per monitored patient-year (equipment, data, call-centre time), not per FTE
    team = CareTeam(model, "telemonitoring", places, case_days=0.0, contact_interval_days=cfg.review_interval_days,
                    p_detect_at_contact=cfg.p_detect_per_review, payer=cfg.payer, role=role, staff=0.0,
                    cost_per_case_year=cfg.cost_per_patient_year,
                    eligible=lambda p: any(p.condition_flags[c] for c in conditions))
    after = (lambda p, c: c in conditions) if cfg.enrol_after_discharge else None
    return [TelemonitoringReferrals(team, conditions, cfg.mode == "substitution", cfg.p_keep_controls, after)]


class Telemonitoring(TeamLifecycle):
    """The telemonitoring service: its team, who is enrolled, and which fixed controls it replaces
    (follow-up after discharge, the results window and leaving are every team mechanism's)."""

    name = "telemonitoring"
    config_sections = ("scenario.telemonitoring",)
    patient_stream_purposes = ("team",)  # the reviews draw like every team's contacts (the offer uses "followup")

    def add_agents(self) -> None:
        self.referrals = telemonitoring(self.model)
        self.model.teams.extend(self._own_teams())

    def replaces_next_control(self, clinic: OutpatientClinic, patient: Patient) -> bool:
        """Monitoring at home replaces the fixed controls of a monitored condition (substitution)."""
        return any(referral.offered_at_control(patient, clinic.condition) for referral in self.referrals)

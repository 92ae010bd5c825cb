"""The teams a scenario adds, and who they take on.

Each builder reads its section of ``scenario`` and returns :class:`~sim.mechanisms.teams.care_team.CareTeam`
agents with a :class:`~sim.mechanisms.teams.care_team.TeamRole` saying what they do. Referral happens at two
moments, both decided here:

* **at entry** (the prevalent caseload at t=0, incident patients when they arrive): rules on the risk
  tier or on everyone;
* **after a discharge**: rules on recent use (coordinator ``prior_use``; ACT eligibility, VIVE 2018
  l.2561-2566), and the follow-up contact a few days after discharge.

No outcome is multiplied anywhere: teams act through contacts (catching unstable phases), handoffs they
cover or plan, home nursing they arrange during the stay, earlier discharge the ward grants when follow-up
is secured, and crises the ACT hotline handles at home. What that does to readmissions, bed days, waits
and cost is what the model computes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ...config import CONDITIONS, PAYER_OF_PLACEMENT
from .care_team import CareTeam, TeamRole

if TYPE_CHECKING:
    from ...agents.patient import Patient
    from ...model import CareModel

SMI = CONDITIONS.index("smi")
HIGH, MODERATE = 0, 1


class TeamReferrals:
    """Teams plus the rules deciding when a patient is referred, and to which of the teams (``route``)."""

    def __init__(self, team: CareTeam | list[CareTeam], at_entry: Callable[[Patient], bool] | None = None,
                 after_discharge: Callable[[Patient, int], bool] | None = None,
                 route: Callable[[Patient], CareTeam] | None = None):
        self.teams = team if isinstance(team, list) else [team]
        self.at_entry = at_entry
        self.after_discharge = after_discharge
        self.team_for = route or (lambda patient: self.teams[0])


def _tier_rule(targeting: str) -> Callable[[Patient], bool] | None:
    return {
        "high_tier": lambda p: p.tier == HIGH,
        "high_or_moderate_tier": lambda p: p.tier in (HIGH, MODERATE),
        "everyone": lambda p: True,
        "complex": lambda p: p.tier == HIGH and len(p.conditions) >= 2,
    }.get(targeting)


def coordinators(model: CareModel) -> list[TeamReferrals]:
    cfg = model.cfg.scenario.coordinator
    if not cfg.enabled:
        return []
    staff_total = cfg.staff_per_100k * model.cfg.population.inhabitants / 100_000.0
    role = dict(covers_handoffs=True, information_access=cfg.information_access, p_handoff_repair=cfg.p_handoff_repair,
                navigation_effect=cfg.navigation_effect, follow_up_after_discharge_days=cfg.follow_up_after_discharge_days,
                partner_slots_per_discharge=cfg.partner_slots_per_discharge,
                prearranges_home_nursing=cfg.mandate, early_discharge_days=cfg.early_discharge_days if cfg.mandate else 0.0)
    if cfg.kind == "holistic":
        # several generic functions (e.g. at the hospital, the practice and the municipality) each take the patient
        groups = [("coordinator", None, 1.0)] + [(f"coordinator_{j}", None, 1.0) for j in range(2, cfg.functions + 1)]
    else:  # specialised: one disease-specific coordinator service per condition, staffed by prevalence
        counts = model.population.conditions.sum(axis=0)
        groups = [(f"coordinator_{CONDITIONS[c]}", (c,), counts[c] / counts.sum()) for c in range(len(CONDITIONS))]
    tier_rule = _tier_rule(cfg.targeting)
    out = []
    for name, conditions, share in groups:
        staff = staff_total * share
        team = CareTeam(model, name, int(round(staff * cfg.caseload_per_staff)), case_days=cfg.case_days,
                        contact_interval_days=cfg.contact_interval_days, p_detect_at_contact=cfg.p_detect_at_contact,
                        payer=PAYER_OF_PLACEMENT[cfg.placement], role=TeamRole(conditions=conditions, **role),
                        staff=staff, cost_per_staff_year=cfg.cost_per_staff_year)
        has_condition = (lambda p: True) if conditions is None else (lambda p, c=conditions[0]: p.condition_flags[c])
        if cfg.targeting == "everyone":
            # universal: every chronic patient at entry, and again after a discharge if the case has closed
            rule = lambda p, h=has_condition: h(p)  # noqa: E731
            out.append(TeamReferrals(team, at_entry=rule, after_discharge=lambda p, c, r=rule: r(p)))
        elif tier_rule is not None:
            # targeted: the hospital refers patients of the target tiers when they are discharged (SST 2013
            # l.1779-1780: the coordinator takes the citizen at discharge and follows up for half a year)
            out.append(TeamReferrals(team, after_discharge=lambda p, c, r=tier_rule, h=has_condition: r(p) and h(p)))
        else:  # prior use: referred after a discharge once the patient has enough recent admissions
            minimum = cfg.prior_use_min_admissions
            out.append(TeamReferrals(team, after_discharge=lambda p, c, h=has_condition: h(p) and p.admissions_within(365.0)[0] >= minimum))
    return out


def complex_care_teams(model: CareModel) -> list[TeamReferrals]:
    cfg = model.cfg.scenario.complex_care_team
    if not cfg.enabled:
        return []
    n_teams = max(1, round(model.cfg.population.inhabitants / cfg.catchment_per_team))
    staff = n_teams * cfg.staff_per_team
    role = TeamRole(joint_discharge_plan=True, p_fail_gp_with_plan=cfg.p_handoff_fail_gp_with_plan,
                    p_fail_municipality_with_plan=cfg.p_handoff_fail_municipality_with_plan,
                    prearranges_home_nursing=True, follow_up_after_discharge_days=cfg.follow_up_after_discharge_days)
    team = CareTeam(model, "complex_care_team", int(round(staff * cfg.caseload_per_staff)), case_days=cfg.case_days,
                    contact_interval_days=cfg.contact_interval_days, p_detect_at_contact=cfg.p_detect_at_contact,
                    payer=cfg.payer, role=role, staff=staff, cost_per_staff_year=cfg.cost_per_staff_year)
    rule = _tier_rule(cfg.targeting)
    # the team finds its patients on the risk list at entry and when a high-tier patient is admitted
    return [TeamReferrals(team, at_entry=rule, after_discharge=lambda p, c: rule(p))]


def act_eligible(model: CareModel) -> Callable[[Patient], bool]:
    """The Danish rule (VIVE 2018 l.2561-2566): severe mental illness and (>= 4 admissions and >= 40-50 bed
    days in 2 years, and/or substance misuse). Admissions of patients with SMI are counted whatever the ward."""
    cfg = model.cfg.scenario.act_team

    def eligible(p: Patient) -> bool:
        if not p.condition_flags[SMI]:
            return False
        if cfg.misuse_qualifies and p.substance_misuse:
            return True
        admissions, bed_days = p.admissions_within(730.0)
        return admissions >= cfg.min_admissions_2y and bed_days >= cfg.min_bed_days_2y
    return eligible


def act_teams(model: CareModel) -> list[TeamReferrals]:
    cfg = model.cfg.scenario.act_team
    if not cfg.enabled:
        return []
    # a small catchment gets its share of a team (places in proportion), not a whole team
    staff = cfg.teams_per_100k * model.cfg.population.inhabitants / 100_000.0 * cfg.staff_per_team
    role = TeamRole(psychiatric_stay_saved_share=cfg.stay_days_saved_share, p_crisis_handled_at_home=cfg.p_crisis_handled_at_home,
                    conditions=(SMI,))
    eligible = act_eligible(model)
    team = CareTeam(model, "act_team", int(round(staff * cfg.caseload_per_staff)), case_days=0.0,
                    contact_interval_days=cfg.contact_interval_days, p_detect_at_contact=cfg.p_detect_at_contact,
                    payer=cfg.payer, role=role, staff=staff, cost_per_case_year=cfg.cost_per_citizen_year,
                    dropout_per_year=cfg.dropout_per_year, eligible=eligible)
    # visitation: at the start and after every discharge of a patient with SMI
    return [TeamReferrals(team, at_entry=eligible, after_discharge=lambda p, c: eligible(p))]


def health_coaches(model: CareModel) -> list[TeamReferrals]:
    """Symphony's health coaches (VIVE 2018 l.2165-2263): municipal staff in each practice, for the
    moderately complex patients found on the practice's risk list."""
    cfg = model.cfg.scenario.health_coach
    if not cfg.enabled:
        return []
    staff = cfg.coaches_per_practice * cfg.fte_per_coach
    role = TeamRole(p_activation_step=cfg.p_activation_step, p_call_handled=cfg.p_call_handled, navigation_effect=0.0)
    teams = [CareTeam(model, f"health_coach_{practice.index}", int(round(staff * cfg.caseload_per_fte)),
                      case_days=cfg.case_days, contact_interval_days=cfg.contact_interval_days,
                      p_detect_at_contact=cfg.p_detect_at_contact, payer="municipality", role=role, staff=staff,
                      cost_per_staff_year=cfg.cost_per_fte_year)
             for practice in model.practices]
    # the practices' initial time investment: planned GP slots go to training and meetings
    weeks = cfg.training_days / 7.0
    for practice in model.practices:
        for week in range(int(weeks)):
            practice.planned.book_many(week * 7, int(round(cfg.training_gp_slots_per_practice_week)))
    tiers = (MODERATE,) if cfg.targeting == "moderate_tier" else (HIGH, MODERATE)
    rule = lambda p: p.tier in tiers  # noqa: E731
    return [TeamReferrals(teams, at_entry=rule, after_discharge=lambda p, c: rule(p),
                          route=lambda p: teams[p.practice_index])]


def build(model: CareModel) -> list[TeamReferrals]:
    """The teams the scenario switches on (none in the baseline), in a fixed order."""
    return [*coordinators(model), *complex_care_teams(model), *act_teams(model), *health_coaches(model)]

"""Fact tables of the teams a scenario adds (coordinators, health coaches, ACT and complex-care teams)."""

from typing import NamedTuple

from ..kpi import FactTable


class CrisisAtHome(NamedTuple):
    """An acute crisis the team's hotline or home visit handled without the ED."""
    person_id: int
    time: float
    team: str


class TeamCase(NamedTuple):
    """One closed case of a team; open cases are added at analysis time (CareTeam.open_case_rows)."""
    team: str
    person_id: int
    referred: float
    started: float
    ended: float
    reason: str
    pam_start: int
    pam_end: int


FACT_TABLES: tuple[FactTable, ...] = (
    FactTable("crises_at_home", CrisisAtHome),
    FactTable("team_cases", TeamCase),
)

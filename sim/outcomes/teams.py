"""What the teams a scenario adds produce (coordinators, health coaches, ACT and complex-care teams): their
cases, their cost allocated to patients, and the team KPIs (groups ``team=<name>``). Formulas read the
results window (``w``), a patient group's measures (``g``) or a team's (``t``: ``t.w`` and ``t.team``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kpi import KPI, Measure, overlap, ratio
from ..recorder import typed_frame


def team_cases_table(model) -> pd.DataFrame:
    """Closed cases plus those still open (ending now)."""
    done = model.recorder.table("team_cases")
    open_rows = [row for team in model.teams for row in team.open_case_rows(model.env.now)]
    if not open_rows:
        return done
    return pd.concat([done, typed_frame("team_cases", open_rows)], ignore_index=True)


def _team_costs(w) -> tuple[dict[str, np.ndarray], float, dict[str, float]]:
    """Each function's cost over the window, allocated to its patients by their days in the caseload; a
    function that reached nobody is still paid for, by every patient present, by their days in the window
    (so the groups' costs add up to the total; only a window without patients leaves it in 'all').
    Returns the per-patient cost by payer, the total, and the cost by payer no patient could carry."""
    out: dict[str, np.ndarray] = {}
    total = 0.0
    unallocated: dict[str, float] = {}
    for team in w.model.teams:
        cost = team.cost_between(w.t0, w.t1)
        total += cost
        cases = w.team_cases[w.team_cases.team == team.name]
        days = overlap(cases.started.to_numpy(), cases.ended.to_numpy(), w.t0, w.t1)
        per_patient = w.total(cases.person_id, days)
        if per_patient.sum() == 0:
            per_patient = w.exposure_days
        if per_patient.sum() > 0:
            out[team.payer] = out.get(team.payer, 0.0) + cost * per_patient / per_patient.sum()
        else:
            unallocated[team.payer] = unallocated.get(team.payer, 0.0) + cost
    return out, total, unallocated


def _started(t) -> pd.DataFrame:
    cases = t.w.team_cases[t.w.team_cases.team == t.team.name]
    return cases[cases.started.between(t.w.t0, t.w.t1)]


def _caseload(t) -> float:
    return t.team.in_use.mean(t.w.t0, t.w.t1)


MEASURES: tuple[Measure, ...] = (
    Measure("team_cases", lambda w: team_cases_table(w.model)),
    Measure("team_costs", _team_costs),
    Measure("team_cost_by_payer", lambda w: w.team_costs[0]),
    Measure("team_cost_total", lambda w: w.team_costs[1]),
    Measure("team_cost_unallocated", lambda w: w.team_costs[2]),
    Measure("crises_at_home", lambda w: w.count(w.table_between("crises_at_home").person_id)),
)

GROUP_KPIS: tuple[KPI, ...] = (
    KPI("crises_handled_at_home_per_1000py", "per 1,000 patient-years", "acute crises the team's hotline or home visit handled without the ED", "group",
        lambda g: g.per_1000(g.w.crises_at_home)),
)
SYSTEM_KPIS: tuple[KPI, ...] = (
    KPI("cost_new_functions_dkk", "DKK", "cost of the functions the scenario adds (coordinators, teams) in the results window; included in the payers' costs above, allocated to patients by days in the caseload", "system",
        lambda w: float(w.team_cost_total)),
)
TEAM_KPIS: tuple[KPI, ...] = (
    KPI("team_places", "places", "caseload places (staff x caseload per staff member)", "team",
        lambda t: float(t.team.places)),
    KPI("team_caseload_mean", "patients", "time-averaged number of open cases", "team",
        lambda t: float(_caseload(t))),
    KPI("team_utilisation", "share of places", "time-averaged share of places in use", "team",
        lambda t: ratio(_caseload(t), t.team.places)),
    KPI("team_waiting_list_mean", "patients", "time-averaged number of referred patients waiting for a place", "team",
        lambda t: float(t.team.waiting.mean(t.w.t0, t.w.t1))),
    KPI("team_intake_wait_mean_days", "days", "mean wait from referral to the start of the case, cases started in the window", "team",
        lambda t: ratio((_started(t).started - _started(t).referred).sum(), len(_started(t)))),
    KPI("team_cases_started", "cases", "cases started in the results window", "team",
        lambda t: float(len(_started(t)))),
    KPI("team_cost_dkk", "DKK", "cost of the function in the results window", "team",
        lambda t: float(t.team.cost_between(t.w.t0, t.w.t1))),
)

"""Paired runs of scenarios against baseline with common random numbers (``python -m experiments.scenario_checks``,
the validation command): replication k of every scenario and of the baseline draws the same random streams,
so each scenario's KPIs are paired with the baseline's replication by replication, and the people a scenario
reaches are followed in both runs from their first case start. ``Paired`` holds one scenario's pairs and
computes paired differences, person-level relative changes and budget neutrality per payer.
"""

from __future__ import annotations

import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim import outcomes
from sim.config import PaymentConfig
from sim.hydra_app import compose_config, compose_validated
from sim.model import CareModel
from sim.payment import NET_SPENDING_PAYERS, Neutrality, budget_neutrality, neutrality_tolerance
from sim.runner import run_model
from sim.statistics import paired_difference

# figures(scenario, model, overall KPIs, baseline model, baseline overall KPIs, shared dict) -> {name: value}
Figures = Callable[[str, CareModel, pd.Series, CareModel, pd.Series, dict], dict[str, float]]

KPIS = ("readmissions_30d", "readmission_rate_30d", "acute_admissions_per_1000py", "bed_days_per_1000py",
        "missed_deteriorations_per_1000py", "late_detected_deteriorations_per_1000py",
        "gp_wait_mean_days", "boarding_wait_mean_hours_all", "outpatient_new_referral_wait_mean_days_all",
        "rtt_compliance_all", "subacute_wait_mean_days", "control_visits_per_1000py", "outpatient_visits_per_1000py",
        "delayed_discharge_days_per_1000py", "interfaces_per_patient_year", "cost_new_functions_dkk",
        "cost_hospital_dkk", "cost_general_practice_dkk", "cost_municipality_dkk",
        "cost_total_dkk", "cost_per_patient_year_dkk",
        "drg_value_dkk", "hospital_revenue_dkk", "hospital_result_dkk", "general_practice_revenue_dkk",
        "municipal_cofinancing_dkk", *(f"net_spending_{payer}_dkk" for payer in NET_SPENDING_PAYERS),
        "ed_visits_per_1000py", "ed_visits_within_72h_of_discharge_per_1000py", "acute_care_return_rate_30d",
        "municipal_acute_stays_per_1000py", "ward_enquiries_per_1000py")


METRICS = ("admissions", "bed_days", "psychiatric_admissions", "psychiatric_bed_days", "gp_deterioration_contacts",
           "outpatient_controls", "cost_in_window")


def _run(overrides: list[str], replication: int) -> CareModel:
    return run_model(compose_validated(overrides), replication)


def _person_costs(model: CareModel) -> np.ndarray:
    """Cost per person over the results window (all payers, the functions' cost allocated by case days)."""
    return outcomes.Window(model).costs["total"].to_numpy()


def _after_enrolment(model: CareModel, first_start: pd.Series, costs: np.ndarray) -> pd.DataFrame:
    """Per enrolled person: activity from their first case start to the end of the run."""
    adm = outcomes.admissions_table(model)
    adm = adm[adm.person_id.isin(first_start.index)].copy()
    adm["since"] = adm.person_id.map(first_start)
    adm = adm[adm.admitted >= adm.since]
    psych = adm[adm.ward == "psychiatric_ward"]
    gp = model.recorder.table("gp_contacts")
    gp = gp[gp.person_id.isin(first_start.index) & (gp.kind == "deterioration")]
    gp = gp[gp.seen >= gp.person_id.map(first_start)]
    out = pd.DataFrame(index=first_start.index)
    out["admissions"] = adm.groupby("person_id").size()
    out["bed_days"] = (adm.left - adm.admitted).groupby(adm.person_id).sum()
    out["psychiatric_admissions"] = psych.groupby("person_id").size()
    out["psychiatric_bed_days"] = (psych.left - psych.admitted).groupby(psych.person_id).sum()
    out["gp_deterioration_contacts"] = gp.groupby("person_id").size()
    op = model.recorder.table("outpatient")
    op = op[op.person_id.isin(first_start.index) & op.attended & (op.kind == "control")]
    op = op[op.appointment >= op.person_id.map(first_start)]
    out["outpatient_controls"] = op.groupby("person_id").size()
    # cost over the whole results window (all payers, the function's own cost allocated by case days)
    out["cost_in_window"] = costs[first_start.index.to_numpy()]
    return out.fillna(0.0)


@dataclass
class Paired:
    scenario: str
    kpis: pd.DataFrame             # replication x KPI: the scenario's values
    baseline_kpis: pd.DataFrame    # replication x KPI: the baseline's, same replications (common random numbers)
    people: pd.DataFrame           # one row per (replication, person reached): metric_scenario, metric_baseline
    extras: pd.DataFrame           # replication x scenario-specific figures
    baseline_cost_total: float = float("nan")            # mean over replications (DKK): scales the tolerance
    payment: PaymentConfig = field(default_factory=PaymentConfig)

    @property
    def kpi_diffs(self) -> pd.DataFrame:
        """replication x KPI: scenario - baseline."""
        return self.kpis - self.baseline_kpis

    def difference(self, kpi: str) -> tuple[float, float, float]:
        """Mean and 95% t-interval (low, high) of the paired difference scenario - baseline in ``kpi``."""
        mean, half = paired_difference(self.kpis[kpi], self.baseline_kpis[kpi])
        return mean, mean - half, mean + half

    def neutrality(self) -> list[Neutrality]:
        """Budget neutrality per payer (the rule in sim.payment.budget_neutrality)."""
        tolerance = neutrality_tolerance(self.baseline_cost_total, self.payment)
        return [budget_neutrality(payer, self.kpi_diffs[f"net_spending_{payer}_dkk"].to_numpy(float), tolerance)
                for payer in NET_SPENDING_PAYERS]

    def relative_change(self, metric: str, resamples: int = 2000) -> tuple[float, float, float]:
        """Relative change of a summed metric for the people reached, with a 95% person-level bootstrap
        interval (pairs resampled together, so the pairing by common random numbers is kept)."""
        s = self.people[f"{metric}_scenario"].to_numpy(float)
        b = self.people[f"{metric}_baseline"].to_numpy(float)
        if b.sum() <= 0:
            return float("nan"), float("nan"), float("nan")
        rng = np.random.default_rng(12345)  # fixed: the interval of a given table is reproducible
        idx = rng.integers(0, len(s), size=(resamples, len(s)))
        ratios = s[idx].sum(axis=1) / np.maximum(b[idx].sum(axis=1), 1e-12) - 1.0
        return float(s.sum() / b.sum() - 1.0), float(np.quantile(ratios, 0.025)), float(np.quantile(ratios, 0.975))


def _replication(k: int, scenarios, common: list[str], figures: Figures | None = None):
    """Replication k of the baseline and of every scenario (same streams): paired rows per scenario.
    ``figures`` (see ``paired_runs``) adds the caller's own per-replication figures from the finished models."""
    started = wallclock.perf_counter()
    base = _run(common, k)
    base_kpis = outcomes.compute(base)
    base_all = base_kpis[base_kpis.group == "all"].set_index("kpi").value
    shared: dict = {}  # what ``figures`` keeps between the scenarios of this replication
    base_figures = figures("baseline", base, base_all, base, base_all, shared) if figures else {}
    base_person_costs = None
    out = {}
    for s in scenarios:
        model = _run([*common, f"scenario={s}"], k)
        kpis = outcomes.compute(model)
        all_ = kpis[kpis.group == "all"].set_index("kpi").value
        values = ({kpi: all_[kpi] for kpi in KPIS}, {kpi: base_all[kpi] for kpi in KPIS})
        cases = outcomes.team_cases_table(model)
        first = cases.groupby("person_id").started.min()
        first = first[first < model.end_time]
        if len(first) and base_person_costs is None:  # the baseline's per-person costs, once per replication
            base_person_costs = _person_costs(base)
        after_s = _after_enrolment(model, first, _person_costs(model) if len(first) else np.zeros(0))
        after_b = _after_enrolment(base, first, base_person_costs if len(first) else np.zeros(0))
        people = after_s.add_suffix("_scenario").join(after_b.add_suffix("_baseline"))
        people.insert(0, "replication", k)
        extra = {"people reached": float(len(first))}
        teams = kpis[kpis.group.str.startswith("team=")].pivot(index="group", columns="kpi", values="value")
        if "team=act_team" in teams.index:
            t = teams.loc["team=act_team"]
            extra["ACT cost per citizen-year (DKK)"] = t.team_cost_dkk / (t.team_caseload_mean * model.results_days / 365.0)
        coached = cases[cases.team.str.startswith("health_coach") & (cases.reason == "goal_reached")]
        if len(coached):
            extra["PAM-1 share of coached, case start"] = float((coached.pam_start == 1).mean())
            extra["PAM-1 share of coached, case end"] = float((coached.pam_end == 1).mean())
        if all_["municipal_acute_stays_per_1000py"] > 0:  # the scenario's own figures (no team cases)
            extra["municipal acute bed utilisation"] = all_["municipal_acute_bed_utilisation"]
            extra["municipal acute stays transferred on to hospital (share)"] = all_["municipal_acute_transfer_share"]
            extra["municipal acute patients turned away, bed full (per 1,000 py)"] = all_["municipal_acute_turned_away_per_1000py"]
            extra["vacant municipal acute bed cost (DKK)"] = all_["municipal_acute_vacant_bed_cost_dkk"]
        if all_["ward_enquiries_per_1000py"] > 0:
            extra["direct ward admissions, no ED (per 1,000 py)"] = all_["direct_ward_admissions_per_1000py"]
            extra["failed handoff share, difference"] = all_["failed_handoff_share"] - base_all["failed_handoff_share"]
        if all_["reserve_slots_planned"] > 0:  # a sub-acute reserve: how it was used
            extra["sub-acute wait (days)"] = all_["subacute_wait_mean_days"]
            extra["share of reserve slots booked by sub-acute contacts"] = all_["reserve_slots_booked_by_subacute"] / all_["reserve_slots_planned"]
            extra["share of reserve slots booked by fixed controls"] = all_["reserve_slots_booked_by_controls"] / all_["reserve_slots_planned"]
        if figures:
            extra.update(figures(s, model, all_, base, base_all, shared))
        out[s] = (values, people, extra)
    return k, base_all["cost_total_dkk"], out, wallclock.perf_counter() - started, base_figures


def compare(scenarios, replications: int, years: float, population: str, seed: int, progress=print,
            payment: str = "drg", settings: list[str] | None = None, jobs: int = 1) -> list[Paired]:
    """Paired comparisons; ``jobs`` > 1 runs replications in that many processes (results are identical,
    since every replication draws only from its own streams)."""
    return paired_runs(scenarios, replications, years, population, seed, progress, payment, settings, jobs)[0]


def paired_runs(scenarios, replications: int, years: float, population: str, seed: int, progress=print,
                payment: str = "drg", settings: list[str] | None = None, jobs: int = 1,
                figures: Figures | None = None) -> tuple[list[Paired], pd.DataFrame]:
    """``compare`` plus the baseline's own figures (replication x figure). ``figures(scenario, model, kpis,
    baseline_model, baseline_kpis, shared)`` is called once for the baseline (scenario "baseline") and once per
    scenario with the finished models of one replication and their overall KPIs; it returns {name: value},
    which goes into the scenario's ``extras`` (the baseline's into the returned frame). ``shared`` is a dict
    kept between the calls of one replication (figures that compare two scenarios' runs). It must be a
    module-level function when ``jobs`` > 1 (it is sent to the worker processes)."""
    common = [f"population={population}", f"run.years={years}", f"seed={seed}", "run.event_log=false",
              f"payment={payment}", *(settings or [])]
    rows = {s: ([], [], [], []) for s in scenarios}
    base_costs = []
    base_figures = []
    def collect(done) -> None:
        for k, base_cost, out, seconds, base_extra in done:  # in replication order either way
            base_costs.append(base_cost)
            base_figures.append(base_extra)
            for s, ((values, base_values), people, extra) in out.items():
                rows[s][0].append(values)
                rows[s][1].append(base_values)
                rows[s][2].append(people)
                rows[s][3].append(extra)
            progress(f"replication {k + 1}/{replications} done ({seconds:.1f} s)")

    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=jobs) as pool:  # results arrive in order, progress as they come
            collect(pool.map(_replication, range(replications), [scenarios] * replications, [common] * replications,
                             [figures] * replications))
    else:
        collect(_replication(k, scenarios, common, figures) for k in range(replications))
    pay = compose_config(common).payment
    return [Paired(s, pd.DataFrame(a), pd.DataFrame(b), pd.concat(c) if c else pd.DataFrame(), pd.DataFrame(d),
                   float(np.mean(base_costs)), pay) for s, (a, b, c, d) in rows.items()], pd.DataFrame(base_figures)


"""Scenario checks: paired comparisons against baseline with common random numbers.

    python -m experiments.scenario_checks                       # 20 replications, small catchment, 2 years
    python -m experiments.scenario_checks --replications 6 --years 1.5 --scenarios act_team,health_coach
    python -m experiments.scenario_checks --markdown docs/scenario-checks.md --jobs 2   # replications on 2 cores
    python -m experiments.scenario_checks --payment budget --scenarios value_based_controls
    python -m experiments.scenario_checks --payment drg --set payment.p_fill_reserve_with_controls=0.3

Replication k of every scenario and of the baseline uses the same random streams, so each scenario's
difference from baseline is paired replication by replication (95% t-intervals over replications), and
the patients a scenario reaches are compared with *the same people* in the baseline run, over the time
after their first case started. The checks are the stylised facts the scenario issue names:

* ACT: psychiatric bed days of ACT citizens fall clearly while admissions change little (VIVE 2018
  l.3625-3627); the cost per citizen-year is the documented 107,000 DKK (VIVE 2018 l.3657-3658).
* targeted coordinator: hospital use of the targeted patients falls, mostly through shorter stays
  (SST 2013 l.1916-1919).
* universal coordinator: total cost rises more than it saves and interfaces per patient rise (SST 2013
  l.1953-1956).
* health coach: GP contacts about deteriorations of coached patients fall; the PAM-1 share of coached
  patients falls (VIVE 2018 l.2262: 41% -> 26%, the reference).
* telemonitoring: substitution lowers outpatient visits and total cost; the parallel system keeps the
  clinical gains but costs more (SST 2013 l.3770-3782), judged on the monitored patients and the catchment.
* municipal acute beds: ED visits and acute admissions fall, the municipality pays more and the hospital
  less (a capacity move, Slides l.147-149); returns to acute care within 30 days, counting municipal stays,
  do not fall with the hospital readmissions.
* 72-hour extended responsibility: ED visits within 72 hours of discharge fall and the ward's enquiries
  rise (access, Slides l.140-142, l.151-152); readmissions are not worse.

Every scenario also gets a "budget neutral for <payer>?" line per payer (region, hospital, general
practice, municipality) under the payment model chosen with ``--payment`` (baseline and scenario under the
same model): neutral when the 95% CI of the paired difference in the payer's net spending contains 0 or lies
within +/- ``payment.neutrality_tolerance`` (default 1%) of the baseline's total cost of chronic care.

Exit code 1 if a check fails.
"""

from __future__ import annotations

import argparse
import sys
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim import outcomes
from sim.config import PaymentConfig
from sim.hydra_app import compose_config
from sim.model import CareModel
from sim.payment import NET_SPENDING_PAYERS, Neutrality, budget_neutrality, neutrality_tolerance
from sim.runner import run_model
from sim.statistics import mean_ci, paired_difference

# figures(scenario, model, overall KPIs, baseline model, baseline overall KPIs, shared dict) -> {name: value}
Figures = Callable[[str, CareModel, pd.Series, CareModel, pd.Series, dict], dict[str, float]]

SCENARIOS = ("act_team", "coordinator_targeted", "coordinator_universal", "complex_care_team", "health_coach",
             "value_based_controls", "pro_triggered_controls", "telemonitoring_substitution", "telemonitoring_parallel",
             "capacity_move_ward_to_subacute", "capacity_move_controls_to_gp", "municipal_acute_beds",
             "extended_responsibility_72h", "referral_shift_85_15")
CHECKED = ("act_team", "coordinator_targeted", "coordinator_universal", "health_coach")  # stylised facts of issue 3
TELEMONITORING = ("telemonitoring_substitution", "telemonitoring_parallel")
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
    return run_model(compose_config(overrides), replication)


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


def _ci(series: pd.Series) -> tuple[float, float, float]:
    mean, half = mean_ci(series.to_numpy(dtype=float))
    return mean, mean - half, mean + half


def checks(p: Paired) -> list[tuple[str, str, bool, str]]:
    """(check, source, passed, evidence) for one scenario."""
    out = []
    rel = p.relative_change
    if p.scenario == "act_team":
        bed = rel("psychiatric_bed_days")
        adm = rel("psychiatric_admissions")
        out.append(("psychiatric bed days of ACT citizens fall clearly", "VIVE 2018 l.3627",
                    bed[2] < 0 and bed[0] < -0.2, f"relative change {bed[0]:+.1%} [{bed[1]:+.1%}, {bed[2]:+.1%}]"))
        out.append(("their admissions change little (less than half the bed-day change)", "VIVE 2018 l.3625-3626",
                    abs(adm[0]) < abs(bed[0]) / 2, f"relative change {adm[0]:+.1%} [{adm[1]:+.1%}, {adm[2]:+.1%}]"))
        cost = _ci(p.extras["ACT cost per citizen-year (DKK)"])
        out.append(("cost per ACT citizen-year is about 107,000 DKK", "VIVE 2018 l.3657-3658",
                    100_000 <= cost[0] <= 115_000, f"{cost[0]:,.0f} DKK"))
    elif p.scenario == "coordinator_targeted":
        bed = rel("bed_days")
        adm = rel("admissions")
        out.append(("hospital use of the targeted patients falls", "SST 2013 l.1916-1917",
                    bed[2] < 0, f"bed days {bed[0]:+.1%} [{bed[1]:+.1%}, {bed[2]:+.1%}]"))
        out.append(("mostly through shorter stays (admissions fall less than half as much)", "SST 2013 l.1917",
                    abs(adm[0]) < abs(bed[0]) / 2, f"admissions {adm[0]:+.1%} [{adm[1]:+.1%}, {adm[2]:+.1%}]"))
    elif p.scenario == "coordinator_universal":
        cost = p.difference("cost_total_dkk")
        inter = p.difference("interfaces_per_patient_year")
        out.append(("total cost rises more than it saves", "SST 2013 l.1953-1956",
                    cost[1] > 0, f"{cost[0]:+,.0f} DKK [{cost[1]:+,.0f}, {cost[2]:+,.0f}]"))
        out.append(("interfaces per patient rise", "SST 2013 l.1953-1956",
                    inter[1] > 0, f"{inter[0]:+.3f} [{inter[1]:+.3f}, {inter[2]:+.3f}] per patient-year"))
    elif p.scenario == "telemonitoring_substitution":
        visits = p.difference("outpatient_visits_per_1000py")
        out.append(("substitution lowers outpatient visits", "SST 2013 l.3778-3782, l.3858",
                    visits[2] < 0, f"{visits[0]:+.1f} [{visits[1]:+.1f}, {visits[2]:+.1f}] per 1,000 patient-years"))
        cost = rel("cost_in_window")
        total = p.difference("cost_total_dkk")
        out.append(("substitution lowers total cost (monitored patients, all payers incl. monitoring)", "SST 2013 l.3770-3776",
                    cost[2] < 0, f"{cost[0]:+.1%} [{cost[1]:+.1%}, {cost[2]:+.1%}]; catchment total {total[0]:+,.0f} DKK [{total[1]:+,.0f}, {total[2]:+,.0f}]"))
    elif p.scenario == "municipal_acute_beds":
        ed, adm = p.difference("ed_visits_per_1000py"), p.difference("acute_admissions_per_1000py")
        hosp, mun = p.difference("cost_hospital_dkk"), p.difference("cost_municipality_dkk")
        ret = p.difference("acute_care_return_rate_30d")
        out.append(("ED visits and acute admissions fall", "Slides l.147-149; VIVE 2018 l.1864-1865",
                    ed[2] < 0 and adm[2] < 0, f"ED {ed[0]:+.1f} [{ed[1]:+.1f}, {ed[2]:+.1f}], admissions {adm[0]:+.1f} "
                    f"[{adm[1]:+.1f}, {adm[2]:+.1f}] per 1,000 patient-years"))
        out.append(("cost moves from the hospital to the municipality", "Slides l.147-149 (capacity move)",
                    hosp[2] < 0 and mun[1] > 0, f"hospital {hosp[0]:+,.0f}, municipality {mun[0]:+,.0f} DKK"))
        out.append(("returns to acute care (municipal stays counted) do not fall", "assumption: a municipal stay is not an admission",
                    ret[2] > -0.005, f"{ret[0]:+.4f} [{ret[1]:+.4f}, {ret[2]:+.4f}]"))
    elif p.scenario == "extended_responsibility_72h":
        ed72, enq = p.difference("ed_visits_within_72h_of_discharge_per_1000py"), p.difference("ward_enquiries_per_1000py")
        readmit = p.difference("readmission_rate_30d")
        out.append(("ED visits within 72 hours of discharge fall; the ward's enquiries rise", "Slides l.140-142, l.151-152 (access)",
                    ed72[2] < 0 and enq[1] > 0, f"ED {ed72[0]:+.2f} [{ed72[1]:+.2f}, {ed72[2]:+.2f}], enquiries {enq[0]:+.1f} per 1,000 patient-years"))
        out.append(("readmissions are not worse", "Slides l.151-152 (unclear regarding effect)",
                    readmit[0] < 0.005, f"{readmit[0]:+.4f} [{readmit[1]:+.4f}, {readmit[2]:+.4f}]"))
    elif p.scenario == "health_coach":
        gp = rel("gp_deterioration_contacts")
        out.append(("GP contacts about deteriorations of coached patients fall", "VIVE 2018 l.2234-2239",
                    gp[2] < 0, f"{gp[0]:+.1%} [{gp[1]:+.1%}, {gp[2]:+.1%}]"))
        if "PAM-1 share of coached, case start" not in p.extras:
            # a coaching case lasts a year: a shorter run has no finished case to judge (a failed check, not a crash)
            out.append(("PAM-1 share of coached patients falls (reference 41% -> 26%)", "VIVE 2018 l.2262",
                        False, "no coaching case finished within the run"))
            return out
        start = _ci(p.extras["PAM-1 share of coached, case start"])
        end = _ci(p.extras["PAM-1 share of coached, case end"])
        out.append(("PAM-1 share of coached patients falls (reference 41% -> 26%)", "VIVE 2018 l.2262",
                    end[2] < start[1], f"{start[0]:.0%} -> {end[0]:.0%}"))
    return out


def telemonitoring_checks(substitution: Paired, parallel: Paired) -> list[tuple[str, str, bool, str]]:
    """Parallel vs substitution, paired replication by replication (both differ from the same baseline run)."""
    mean, half = paired_difference(parallel.kpi_diffs["cost_total_dkk"], substitution.kpi_diffs["cost_total_dkk"])
    cost = mean, mean - half, mean + half
    gain_sub = -substitution.difference("acute_admissions_per_1000py")[0]
    gain_par = -parallel.difference("acute_admissions_per_1000py")[0]
    return [
        ("the parallel system keeps the clinical gain (fewer acute admissions, within a third of substitution's)",
         "SST 2013 l.3817-3819", gain_par > 0 and abs(gain_par - gain_sub) < min(gain_sub, gain_par) / 3,
         f"acute admissions per 1,000 patient-years {-gain_par:+.1f} (parallel) vs {-gain_sub:+.1f} (substitution)"),
        ("but costs more than substitution", "SST 2013 l.392-397, l.3770-3776",
         cost[1] > 0, f"{cost[0]:+,.0f} DKK [{cost[1]:+,.0f}, {cost[2]:+,.0f}] (parallel - substitution)"),
    ]


def report(results: list[Paired], replications: int, years: float, population: str) -> tuple[str, bool]:
    pay = results[0].payment if results else PaymentConfig()
    lines = [f"# Scenario checks", "",
             f"<!-- generated by `python -m experiments.scenario_checks`; do not edit by hand -->", "",
             f"Paired differences against baseline (scenario - baseline), mean and 95% t-interval over {replications} "
             f"replications with common random numbers; `{population}` catchment, {years:g} years after the warm-up; "
             f"payment model `{pay.name}` for baseline and scenarios. Budget neutral for a payer: the 95% CI of the "
             f"paired difference in its net spending contains 0 or lies within ±{pay.neutrality_tolerance:.1%} of the "
             "baseline's total cost of chronic care.", ""]
    all_ok = True
    for p in results:
        lines += [f"## {p.scenario}", "", "| KPI | difference | 95% CI |", "|---|---:|---|"]
        for kpi in KPIS:
            m, lo, hi = p.difference(kpi)
            lines.append(f"| `{kpi}` | {m:+,.4g} | [{lo:+,.4g}, {hi:+,.4g}] |")
        lines += ["", "| people the scenario reached, from their first case start (same people in baseline) | relative change | 95% CI (person bootstrap) |",
                  "|---|---:|---|"]
        if p.extras["people reached"].sum() == 0:  # a scenario without team cases (e.g. acute alternatives)
            lines[-2] = "| scenario figures (no team cases, so no people reached to follow) | mean | 95% CI |"
        else:
            for metric in METRICS:
                m, lo, hi = p.relative_change(metric)
                lines.append(f"| {metric.replace('_', ' ')} | {m:+.1%} | [{lo:+.1%}, {hi:+.1%}] |")
        for col in p.extras.columns:
            m, lo, hi = _ci(p.extras[col])
            lines.append(f"| {col} | {m:,.4g} | [{lo:,.4g}, {hi:,.4g}] |")
        lines += ["", "| payer | budget neutral? |", "|---|---|"]
        for verdict in p.neutrality():
            lines.append(f"| {verdict.payer.replace('_', ' ')} | {verdict.text().split('? ', 1)[1]} |")
        found = checks(p)
        if found:
            lines += ["", "| check | source | result | evidence |", "|---|---|---|---|"]
            for name, source, ok, evidence in found:
                all_ok &= ok
                lines.append(f"| {name} | {source} | {'pass' if ok else '**FAIL**'} | {evidence} |")
        lines.append("")
    by_name = {p.scenario: p for p in results}
    if all(s in by_name for s in TELEMONITORING):
        lines += ["## telemonitoring: parallel vs substitution", "", "| check | source | result | evidence |", "|---|---|---|---|"]
        for name, source, ok, evidence in telemonitoring_checks(*(by_name[s] for s in TELEMONITORING)):
            all_ok &= ok
            lines.append(f"| {name} | {source} | {'pass' if ok else '**FAIL**'} | {evidence} |")
        lines.append("")
    return "\n".join(lines), all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Paired scenario checks against baseline")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--population", default="small")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--payment", default="drg", help="payment model of baseline and scenarios: drg, budget, mixed")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="an override for every run, e.g. payment.p_fill_reserve_with_controls=0.3 (repeatable)")
    parser.add_argument("--markdown", help="also write the report to this file")
    parser.add_argument("--jobs", type=int, default=1, help="replications run in parallel processes (default 1)")
    args = parser.parse_args(argv)
    scenarios = [s for s in args.scenarios.split(",") if s]
    results = compare(scenarios, args.replications, args.years, args.population, args.seed,
                      progress=lambda msg: print(msg, file=sys.stderr), payment=args.payment, settings=args.set,
                      jobs=args.jobs)
    text, ok = report(results, args.replications, args.years, args.population)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

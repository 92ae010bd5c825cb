"""What the validation facts measure in one replication's finished models (baseline and scenario runs).

``figures`` is the hook ``experiments.paired_scenarios.paired_runs`` calls with the models of one replication
(common random numbers: the same streams in every run), so every figure is a paired, per-replication number.
The helpers are shared with the tests that check the same facts (tests/validation/test_referral_shift.py,
test_needs_based_controls.py), so a fact is measured in one place.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim import outcomes
from sim.model import CareModel

# the phase-in of needs-based follow-up is read on these days from the start of the run (the scenario acts from
# day 0, warm-up included); the plateau is the mean over days 450-730, so the run must reach day 730
PHASE_IN_DAYS = (30, 182, 365)
PLATEAU_DAYS = (450, 730)
TELEMONITORING = ("telemonitoring_substitution", "telemonitoring_parallel")


def referral_counts(model: CareModel) -> tuple[int, int]:
    """(referred, contacts) of all GP contacts in the results window, background and chronic."""
    t0, t1 = model.results_start, model.end_time
    bg = model.recorder.table("gp_background")
    bg = bg[bg.day.between(int(t0), int(t1) - 1)]
    gp = model.recorder.table("gp_contacts")
    gp = gp[gp.seen.between(t0, t1)]
    return int(bg.referred.sum() + gp.referred.sum()), int(bg.contacts.sum() + len(gp))


def after_switch(base: CareModel, scen: CareModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(vulnerable, missed-or-late in baseline, in scenario) for each person switched in the scenario run,
    counting deteriorations from their first switch on: the same people and times in both runs (CRN)."""
    first = scen.recorder.table("switches").groupby("person_id").time.min()
    bad = outcomes.MISSED + outcomes.LATE
    counts = []
    for model in (base, scen):
        det = model.recorder.table("deteriorations")
        det = det[det.person_id.isin(first.index) & det.outcome.isin(bad)]
        det = det[det.time >= det.person_id.map(first)]
        counts.append(det.groupby("person_id").size().reindex(first.index, fill_value=0).to_numpy())
    vulnerable = scen.population.vulnerable[first.index.to_numpy()]
    return vulnerable, counts[0], counts[1]


def per_person_totals(model: CareModel) -> dict[str, np.ndarray]:
    """Per person over the results window: outpatient controls, admissions, bed days, cost (all payers)."""
    w = outcomes.Window(model)
    return {"control_visits": np.asarray(w.control_visits, float), "admissions": np.asarray(w.admissions, float),
            "bed_days": np.asarray(w.bed_days, float), "cost_total": w.costs["total"].to_numpy(float)}


def _phase_in(model: CareModel) -> dict[str, float]:
    series = model.datacollector.get_model_vars_dataframe().set_index("day").needs_based_followups
    if series.index.max() < PLATEAU_DAYS[1]:
        return {}
    plateau = float(series.loc[PLATEAU_DAYS[0]:PLATEAU_DAYS[1]].mean())
    return {f"needs-based share of plateau, day {day}": float(series.loc[day]) / plateau for day in PHASE_IN_DAYS}


def _telemonitoring(scenario: str, model: CareModel, base: CareModel, shared: dict) -> dict[str, float]:
    """The monitored patients (monitored in either telemonitoring run) in baseline, substitution and parallel:
    the same people in all three runs, so the comparison is paired person by person."""
    shared[scenario] = (per_person_totals(model), outcomes.team_cases_table(model).person_id.unique())
    if not all(s in shared for s in TELEMONITORING):
        return {}
    if "baseline totals" not in shared:
        shared["baseline totals"] = per_person_totals(base)
    monitored = np.union1d(*(shared[s][1] for s in TELEMONITORING))
    runs = {"baseline": shared["baseline totals"], **{s: shared[s][0] for s in TELEMONITORING}}
    return {f"monitored {metric}, {name}": float(totals[metric][monitored].sum())
            for name, totals in runs.items() for metric in ("control_visits", "admissions", "cost_total")}


def figures(scenario: str, model: CareModel, kpis: pd.Series, base: CareModel, base_kpis: pd.Series,
            shared: dict) -> dict[str, float]:
    """The validation figures of one run (see ``experiments.paired_scenarios.paired_runs``)."""
    if scenario == "baseline":
        referred, contacts = referral_counts(model)
        return {"gp_referral_fraction": kpis["gp_referral_fraction"], "cost_share_top_4pct": kpis["cost_share_top_4pct"],
                "high_cost_persistence": kpis["high_cost_persistence"], "referrals": float(referred),
                "gp_contacts": float(contacts)}
    if scenario == "referral_shift_85_15":
        referred, contacts = referral_counts(model)
        return {"referrals": float(referred), "referral fraction": referred / contacts,
                "referrals, scenario / baseline": referred / referral_counts(base)[0]}
    if scenario == "value_based_controls":
        vulnerable, before, after = after_switch(base, model)
        out = _phase_in(model)
        for label, mask in (("vulnerable", vulnerable), ("not vulnerable", ~vulnerable)):
            out[f"switched {label}"] = float(mask.sum())
            out[f"missed or late, switched {label}, baseline"] = float(before[mask].sum())
            out[f"missed or late, switched {label}, scenario"] = float(after[mask].sum())
        return out
    if scenario in TELEMONITORING:
        return _telemonitoring(scenario, model, base, shared)
    return {}

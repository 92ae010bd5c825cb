"""Paired comparisons of the two capacity-move scenarios against baseline (common random numbers).

    python -m experiments.capacity_moves                       # 6 replications, small catchment
    python -m experiments.capacity_moves --replications 10 --years 3

Replication k of the baseline and of each scenario share every random stream, so differences are paired
replication by replication (mean and 95% t-interval over replications). The transfer-friction part
follows the patients a transfer reaches: their deteriorations, missed and late-detected ones and
detections from their first transfer on, compared with the same people in the baseline run.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from sim import outcomes
from sim.hydra_app import compose_config
from sim.model import CareModel
from sim.runner import run_model
from sim.statistics import mean_ci, paired_difference

KPIS = {
    "capacity_move_ward_to_subacute": (
        "medical_bed_occupancy", "boarding_wait_mean_hours_all", "closure_discharges", "acute_admissions_per_1000py",
        "bed_days_per_1000py", "readmission_rate_30d", "subacute_visits_per_1000py", "subacute_wait_mean_days",
        "outpatient_new_referral_wait_mean_days_all", "late_detected_deteriorations_per_1000py",
        "capacity_cost_wards_dkk", "capacity_cost_clinics_dkk", "capacity_cost_total_dkk", "cost_total_dkk"),
    "capacity_move_controls_to_gp": (
        "control_transfers", "control_transfers_failed", "control_visits_per_1000py",
        "outpatient_new_referral_wait_mean_days_all", "rtt_compliance_all", "gp_planned_utilisation",
        "gp_contacts_per_1000py", "missed_deteriorations_per_1000py", "late_detected_deteriorations_per_1000py",
        "detections_per_1000py", "acute_admissions_per_1000py", "capacity_cost_clinics_dkk",
        "capacity_cost_general_practice_dkk", "capacity_cost_total_dkk", "cost_total_dkk"),
}
MOVE_KPIS = ("move_budget_neutral", "move_capacity_cost_net_dkk", "move_source_utilisation", "move_target_utilisation",
             "move_target_released_share")


def _all(kpis: pd.DataFrame) -> pd.Series:
    return kpis[kpis.group == "all"].set_index("kpi").value


def _after_transfer(model: CareModel, first: pd.Series) -> pd.DataFrame:
    """Per transferred person, from the first transfer on: deteriorations, missed, late, detections."""
    det = model.recorder.table("deteriorations")
    det = det[det.person_id.isin(first.index)]
    det = det[det.time >= det.person_id.map(first)]
    found = model.recorder.table("detections")
    found = found[found.person_id.isin(first.index)]
    found = found[found.time >= found.person_id.map(first)]
    out = pd.DataFrame(index=first.index)
    out["deteriorations"] = det.groupby("person_id").size()
    out["missed"] = det[det.outcome.isin(outcomes.MISSED)].groupby("person_id").size()
    out["late"] = det[det.outcome.isin(outcomes.LATE)].groupby("person_id").size()
    out["detections"] = found.groupby("person_id").size()
    return out.fillna(0.0)


def _line(name: str, mean: float, half: float) -> str:
    return f"  {name:45s} {mean:+14.6g}  [{mean - half:+.4g}, {mean + half:+.4g}]"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replications", type=int, default=6)
    ap.add_argument("--years", type=float, default=3.0)
    ap.add_argument("--population", default="small")
    args = ap.parse_args(argv)
    common = [f"population={args.population}", f"run.years={args.years}", "run.event_log=false"]
    values = {s: {k: [] for k in kpis} for s, kpis in KPIS.items()}
    base_values = {s: {k: [] for k in kpis} for s, kpis in KPIS.items()}
    moves: dict[str, list[pd.DataFrame]] = {s: [] for s in KPIS}
    friction_rows = []
    for rep in range(args.replications):
        base = run_model(compose_config(common), rep)
        b = _all(outcomes.compute(base))
        for scenario, kpis in KPIS.items():
            model = run_model(compose_config([*common, f"scenario={scenario}"]), rep)
            all_kpis = outcomes.compute(model)
            s = _all(all_kpis)
            for k in kpis:
                values[scenario][k].append(s[k])
                base_values[scenario][k].append(b[k])
            moves[scenario].append(all_kpis[all_kpis.group.str.startswith("move=")])
        for friction in (0.2, 0.9):
            model = run_model(compose_config([*common, "scenario=capacity_move_controls_to_gp",
                                              f"scenario.capacity_moves.transfer_friction={friction}"]), rep)
            first = model.recorder.table("control_transfers").groupby("person_id").time.min()
            first = first[first >= model.results_start]
            moved, same = _after_transfer(model, first), _after_transfer(base, first)
            years = float((model.end_time - first).sum() / 365.0)
            friction_rows.append({"friction": friction, "replication": rep, "people": len(first), "person_years": years,
                                  **{f"{c}_scenario": moved[c].sum() for c in moved},
                                  **{f"{c}_baseline": same[c].sum() for c in same}})
        print(f"replication {rep + 1}/{args.replications} done", flush=True)
    for scenario in KPIS:
        print(f"\n{scenario}: scenario - baseline, mean [95% CI] over {args.replications} paired replications "
              f"({args.population}, {args.years:g} years)")
        for k in KPIS[scenario]:
            difference = paired_difference(values[scenario][k], base_values[scenario][k])
            print(_line(k, *difference) + f"   (baseline {np.mean(base_values[scenario][k]):.5g})")
        mv = pd.concat(moves[scenario]).groupby(["group", "kpi"]).value.mean().unstack()
        print("  moves (mean over replications):")
        print("  " + mv[[c for c in MOVE_KPIS if c in mv.columns]].to_string().replace("\n", "\n  "))
    fr = pd.DataFrame(friction_rows)
    print("\ntransferred patients, from their first transfer to the end of the run, per 1,000 person-years "
          "(scenario - the same people in baseline; mean [95% CI] over replications):")
    for friction, g in fr.groupby("friction"):
        print(f" transfer_friction={friction:g}: {g.people.mean():.0f} people per replication")
        for c in ("deteriorations", "missed", "late", "detections"):
            per = 1000.0 * (g[f"{c}_scenario"] - g[f"{c}_baseline"]) / g.person_years
            print(_line(c + " per 1000 person-years", *mean_ci(per.to_numpy(float))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

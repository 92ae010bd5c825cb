"""Overload check: raise GP referrals in steps past what the wards and clinics can take, paired with CRN.

    python -m experiments.overload                                   # small catchment, 1x 1.25x 1.5x, 10 replications
    python -m experiments.overload --levels 1,1.5,2,3 --replications 6 --years 1 --population medium --jobs 2

Each level multiplies every GP referral probability (``scenario.gp_referral.ratio``); replication k of every
level draws from the same streams (common random numbers), so each level's change from the first level is
paired replication by replication (95% t-intervals). The printed table is what MODEL.md §6 asks of an
honest model under overload: more demand must never look cheaper. A queued patient is somewhere (the ED,
a corridor bed, a bed elsewhere), costs, and its illness goes on.

``--check`` exits 1 if a monotone outcome (cost, admissions, bed use, adverse events) falls from one level
to the next by more than the stated tolerance (see :func:`monotonicity_failures`).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from experiments.parallel import map_in_order
from sim.hydra_app import compose_validated
from sim.runner import run_replication
from sim.statistics import mean_ci, paired_difference

# (KPI, label, monotone): monotone outcomes must not fall when demand rises
OUTCOMES: tuple[tuple[str, str, bool], ...] = (
    ("cost_per_patient_year_dkk", "cost per patient-year (DKK)", True),
    ("cost_total_dkk", "total cost of chronic care (DKK)", True),
    ("acute_admissions_per_1000py", "acute admissions per 1,000 py", True),
    ("bed_days_per_1000py", "bed days per 1,000 py (own beds, corridor, other wards and hospitals)", True),
    ("boarding_days_per_1000py", "days waiting for a bed per 1,000 py", True),
    ("adverse_events_per_1000py", "adverse events per 1,000 py", True),
    ("deaths", "deaths (persons)", True),
    ("late_detected_deteriorations_per_1000py", "late-detected deteriorations per 1,000 py", False),
    ("boarding_wait_mean_hours_all", "mean wait for a bed, all admissions (h)", False),
    ("corridor_bed_days", "corridor bed days (all admissions)", False),
    ("pressure_discharges_per_1000py", "stays ended early under pressure per 1,000 py", False),
    ("other_ward_admissions_per_1000py", "admissions to another ward per 1,000 py", False),
    ("other_hospital_admissions_per_1000py", "admissions to another hospital per 1,000 py", False),
    ("cost_region_dkk", "care bought elsewhere by the region (DKK)", False),
    ("rtt_compliance_all", "30-day right met by the clinics, all referrals", False),
    ("outpatient_referrals_elsewhere_share_all", "new referrals seen elsewhere (share)", False),
    ("readmission_rate_30d", "30-day readmission rate", False),
)


@dataclass(frozen=True)
class Task:
    overrides: tuple[str, ...]
    level: float
    replication: int


def run_task(task: Task) -> dict[str, float]:
    cfg = compose_validated([*task.overrides, f"scenario.gp_referral.ratio={task.level}",
                          "run.event_log=false", "run.timeseries=false"])
    result = run_replication(cfg, task.replication)
    overall = result.kpis[result.kpis["group"] == "all"].set_index("kpi")["value"]
    row = {k: float(overall[k]) for k, _, _ in OUTCOMES if k in overall.index}
    row.update(level=task.level, replication=task.replication)
    return row


def run_levels(overrides: list[str], levels: list[float], replications: int, jobs: int = 1) -> pd.DataFrame:
    tasks = [Task(tuple(overrides), level, k) for level in levels for k in range(replications)]
    return pd.DataFrame(map_in_order(run_task, tasks, jobs=jobs))


def paired_changes(results: pd.DataFrame) -> pd.DataFrame:
    """Each level's mean and its paired change from the previous level and from the first (95% CIs)."""
    levels = sorted(results["level"].unique())
    by = {lv: results[results["level"] == lv].set_index("replication").sort_index() for lv in levels}
    rows = []
    for kpi, label, monotone in OUTCOMES:
        if kpi not in results.columns:
            continue
        for i, lv in enumerate(levels):
            mean, half = mean_ci(by[lv][kpi])
            row = {"kpi": kpi, "label": label, "monotone": monotone, "level": lv, "mean": mean, "half": half}
            for name, ref in (("vs_first", levels[0]), ("vs_previous", levels[max(0, i - 1)])):
                paired = paired_difference(by[lv][kpi], by[ref][kpi])  # replication k against k
                row[f"{name}_mean"], row[f"{name}_half"] = paired if lv != ref else (0.0, 0.0)
            rows.append(row)
    return pd.DataFrame(rows)


def monotonicity_failures(changes: pd.DataFrame, tolerance: float) -> list[str]:
    """Monotone outcomes whose paired change from the previous level is significantly negative *and* larger
    in size than ``tolerance`` times the previous level's mean (a fall beyond noise and beyond the tolerance)."""
    failures = []
    for _, r in changes[changes["monotone"]].iterrows():
        if r["vs_previous_mean"] == 0.0 and r["vs_previous_half"] == 0.0:
            continue
        previous = r["mean"] - r["vs_previous_mean"]
        upper = r["vs_previous_mean"] + (0.0 if np.isnan(r["vs_previous_half"]) else r["vs_previous_half"])
        if upper < 0 and -r["vs_previous_mean"] > tolerance * abs(previous):
            failures.append(f"{r['kpi']} falls at referral level {r['level']:g}: "
                            f"{r['vs_previous_mean']:+.4g} ± {r['vs_previous_half']:.3g} from {previous:.4g}")
    return failures


def format_table(changes: pd.DataFrame) -> str:
    levels = sorted(changes["level"].unique())
    head = "| outcome | " + " | ".join(f"{lv:g}x (change from {levels[0]:g}x)" for lv in levels) + " |"
    lines = [head, "|---" * (len(levels) + 1) + "|"]
    for kpi, group in changes.groupby("kpi", sort=False):
        cells = []
        for _, r in group.sort_values("level").iterrows():
            if r["level"] == levels[0]:
                cells.append(f"{r['mean']:.4g}")
            else:
                cells.append(f"{r['mean']:.4g} ({r['vs_first_mean']:+.3g} ± {r['vs_first_half']:.2g})")
        lines.append(f"| {group['label'].iloc[0]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--population", default="small", help="population preset (configs/population/)")
    parser.add_argument("--levels", default="1,1.25,1.5", help="referral multipliers, comma-separated, rising")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--warmup-days", type=float, default=None, help="default: the configuration's warm-up")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=0.01,
                        help="allowed fall of a monotone outcome as a share of the previous level (default 0.01)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a monotone outcome falls")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="any config override")
    args = parser.parse_args(argv)
    try:
        levels = [float(x) for x in args.levels.split(",")]
    except ValueError:
        print(f"error: --levels must be numbers separated by commas, got {args.levels!r}", file=sys.stderr)
        return 2
    if levels != sorted(levels) or len(levels) < 2 or min(levels) < 0:
        print(f"error: --levels must be at least two non-negative numbers in rising order, got {args.levels!r}",
              file=sys.stderr)
        return 2
    if args.replications < 2:
        print("error: --replications must be at least 2 (paired intervals)", file=sys.stderr)
        return 2
    overrides = [f"population={args.population}", f"run.years={args.years}", *args.set]
    if args.warmup_days is not None:
        overrides.append(f"run.warmup_days={args.warmup_days}")
    results = run_levels(overrides, levels, args.replications, args.jobs)
    changes = paired_changes(results)
    print(format_table(changes))
    failures = monotonicity_failures(changes, args.tolerance)
    for line in failures:
        print(f"FALLS: {line}")
    return 1 if (args.check and failures) else 0


if __name__ == "__main__":
    sys.exit(main())

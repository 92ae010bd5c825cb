"""``python -m sim``: run one scenario (baseline by default), write the run folder, print KPIs.

    python -m sim                                   # Randers catchment, 5 years after warm-up
    python -m sim population=small run.years=2 seed=3
    python -m sim run.replications=5                # replications 0..4 with common random numbers
    python -m sim scenario=value_based_controls payment=budget run.replications=20
                                                    # paired with usual care under the same payment model,
                                                    # with a budget-neutrality line per payer

Bad input (unknown keys, wrong types, out-of-range values, impossible combinations) fails before
anything runs, with one message per offending key, exit code 2, and no output folder left behind.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path

import hydra
import numpy as np
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from .config import ConfigError, ScenarioConfig, to_sim_config
from .hydra_app import apply_command_line, discard_run_folder, register
from .outcomes import kpi_by_name
from .payment import NET_SPENDING_PAYERS, budget_neutrality, neutrality_tolerance
from .runner import run_paired, write_run
from .statistics import mean_ci, paired_difference
from .validated import validate

log = logging.getLogger("sim")
register()

SCENARIO_HEADLINE = ("cost_new_functions_dkk", "delayed_discharge_days_per_1000py", "actors_per_patient_year",
                     *(f"net_spending_{payer}_dkk" for payer in NET_SPENDING_PAYERS))

HEADLINE = (
    "patients", "patient_years", "acute_admissions_per_1000py", "bed_days_per_1000py", "readmission_rate_30d",
    "gp_referral_fraction", "gp_wait_mean_days", "boarding_wait_mean_hours_all", "outpatient_new_referral_wait_mean_days_all",
    "rtt_compliance_all", "late_detected_deteriorations_per_1000py", "failed_handoff_share", "interfaces_per_patient_year",
    "boarding_days_per_1000py", "other_hospital_admissions_per_1000py", "adverse_events_per_1000py",
    "cost_hospital_dkk", "cost_general_practice_dkk", "cost_municipality_dkk", "cost_region_dkk", "cost_per_patient_year_dkk",
    "hospital_revenue_dkk", "hospital_result_dkk",
    "medical_bed_occupancy", "gp_utilisation", "outpatient_utilisation",
)


def _values(tidy: pd.DataFrame, name: str) -> np.ndarray:
    overall = tidy[tidy.group == "all"].sort_values("replication")
    return overall.loc[overall.kpi == name, "value"].to_numpy(dtype=float)


def _number(value: float, digits: int = 4, sign: str = "") -> str:
    """``digits`` significant digits, but whole numbers with thousands separators where that would need an
    exponent (DKK, persons):
    a steering group reads 1,503,212 DKK, not 1.503e+06."""
    if np.isfinite(value) and abs(value) >= 10 ** digits:  # where the g format would turn scientific
        return f"{value:{sign},.0f}"
    return f"{value:{sign},.{digits}g}"


def kpi_table(tidy: pd.DataFrame, baseline: pd.DataFrame | None = None) -> str:
    """Headline KPIs, all patients: mean over replications with its 95% t-interval half-width; with a
    baseline, also the baseline and the paired difference (common random numbers: replication k vs k)."""
    names = HEADLINE + (SCENARIO_HEADLINE if baseline is not None else ())
    rows = []
    for name in names:
        mean, half = mean_ci(_values(tidy, name))
        row = [name]
        if baseline is not None:
            base_mean, _ = mean_ci(_values(baseline, name))
            diff_mean, diff_half = paired_difference(_values(tidy, name), _values(baseline, name))
            row += [_number(base_mean), _number(mean), _number(diff_mean, sign="+"),
                    "" if np.isnan(diff_half) else f"± {_number(diff_half, 3)}"]
        else:
            row += [_number(mean), "" if np.isnan(half) else f"± {_number(half)}"]
        rows.append(row + [kpi_by_name()[name].unit])
    width = max(len(r[0]) for r in rows)
    if baseline is not None:
        head = f"{'KPI':<{width}}  {'baseline':>12}  {'scenario':>12}  {'difference':>12}  {'95% CI':>11}  unit"
        lines = [head, "-" * (len(head) + 20)]
        lines += [f"{r[0]:<{width}}  {r[1]:>12}  {r[2]:>12}  {r[3]:>12}  {r[4]:>11}  {r[5]}" for r in rows]
    else:
        head = f"{'KPI':<{width}}  {'value':>14}  {'95% CI':>12}  unit"
        lines = [head, "-" * (len(head) + 20)]
        lines += [f"{r[0]:<{width}}  {r[1]:>14}  {r[2]:>12}  {r[3]}" for r in rows]
    return "\n".join(lines)


def queue_warnings(tidy: pd.DataFrame, label: str) -> list[str]:
    """One line per queue the queue-growth guard flags in any replication (sim/queue_growth.py)."""
    queues = tidy[tidy.group.str.startswith("queue=")]
    lines = []
    for group, rows in queues.groupby("group", sort=True):
        flags = rows.loc[rows.kpi == "queue_growing", "value"].to_numpy(dtype=float)
        if not (flags == 1.0).any():
            continue
        mean = float(np.nanmean(rows.loc[rows.kpi == "queue_length_mean", "value"]))
        trend = float(np.nanmean(rows.loc[rows.kpi == "queue_trend_per_year", "value"]))
        lines.append(f"warning: {label}: queue {group.removeprefix('queue=')} keeps growing over the results window in "
                     f"{int((flags == 1.0).sum())} of {flags.size} replication(s) (mean level {_number(mean)}, "
                     f"trend {_number(trend, sign='+')} per year): results that depend on it change with the horizon")
    return lines


def neutrality_lines(tidy: pd.DataFrame, baseline: pd.DataFrame, payment) -> list[str]:
    """One 'budget neutral for <payer>?' line per payer, from the paired differences in net spending."""
    tolerance = neutrality_tolerance(float(np.nanmean(_values(baseline, "cost_total_dkk"))), payment)
    lines = [f"Budget neutrality against usual care under the same payment model ('{payment.name}'): yes when the 95% CI",
             f"of the paired difference in the payer's net spending lies within ±{payment.neutrality_tolerance:.1%} "
             "of the baseline's total cost of chronic care; undetermined when it contains 0 but is wider; no otherwise."]
    for payer in NET_SPENDING_PAYERS:
        name = f"net_spending_{payer}_dkk"
        lines.append("  " + budget_neutrality(payer, _values(tidy, name) - _values(baseline, name), tolerance).text())
    return lines


@hydra.main(version_base="1.3", config_path="../configs", config_name="config")
def main(raw: DictConfig) -> None:
    try:
        apply_command_line(raw, HydraConfig.get().overrides.task, HydraConfig.get().runtime)
        checked = validate(to_sim_config(raw))  # once: the run below takes the validated config as it is
    except ConfigError as err:
        discard_run_folder()
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    cfg = checked.config
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    log.info("scenario %s, catchment %s, seed %d, %d replication(s), %.3g years after %.0f warm-up days",
             cfg.scenario.name, cfg.population.name, cfg.seed, cfg.run.replications, cfg.run.years, cfg.run.warmup_days)
    cfgs = [checked]
    if cfg.scenario != ScenarioConfig():
        # the same replications of usual care, so the difference is paired (common random numbers); a new
        # config, so run_paired validates it (once)
        log.info("the scenario first, then the baseline with the same replications for the comparison")
        cfgs.append(dataclasses.replace(cfg, scenario=ScenarioConfig()))
    results, *baseline_results = run_paired(cfgs, progress=log.info)
    write_run(out_dir, cfg, results)
    tidy = pd.concat([r.tidy_kpis(cfg) for r in results], ignore_index=True)
    baseline_tidy = None
    if baseline_results:
        base_cfg = cfgs[1]
        write_run(out_dir / "baseline", base_cfg, baseline_results[0])
        baseline_tidy = pd.concat([r.tidy_kpis(base_cfg) for r in baseline_results[0]], ignore_index=True)
    print(f"\nScenario '{cfg.scenario.name}' on catchment '{cfg.population.name}' "
          f"({cfg.run.replications} replication(s), seed {cfg.seed}, payment {cfg.payment.name})\n")
    print(kpi_table(tidy, baseline_tidy))
    warnings = queue_warnings(tidy, cfg.scenario.name)
    if baseline_tidy is not None:
        warnings += queue_warnings(baseline_tidy, "baseline")
    if warnings:
        print("\n" + "\n".join(warnings))
    if baseline_tidy is not None:
        print("\n" + "\n".join(neutrality_lines(tidy, baseline_tidy, cfg.payment)))
    if baseline_tidy is not None and cfg.run.replications == 1:
        print("\n(one replication: run with run.replications=20 or more for confidence intervals)")
    print(f"\nResults written to {out_dir}")


if __name__ == "__main__":
    main()

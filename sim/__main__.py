"""``python -m sim``: run one scenario (baseline by default), write the run folder, print KPIs.

    python -m sim                                   # Randers catchment, 5 years after warm-up
    python -m sim population=small run.years=2 seed=3
    python -m sim run.replications=5                # replications 0..4 with common random numbers

Bad input (unknown keys, wrong types, out-of-range values, impossible combinations) fails before
anything runs, with one message per offending key, exit code 2, and no output folder left behind.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import hydra
import numpy as np
import pandas as pd
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig
from scipy import stats

from .config import ConfigError, to_sim_config, validate
from .hydra_app import register
from .io import write_run
from .outcomes import KPI_BY_NAME
from .runner import run_replication

log = logging.getLogger("sim")
register()

HEADLINE = (
    "patients", "patient_years", "acute_admissions_per_1000py", "bed_days_per_1000py", "readmission_rate_30d",
    "gp_referral_fraction", "gp_wait_mean_days", "boarding_wait_mean_hours_all", "outpatient_new_referral_wait_mean_days_all",
    "rtt_compliance_all", "late_detected_deteriorations_per_1000py", "failed_handoff_share", "interfaces_per_patient_year",
    "cost_hospital_dkk", "cost_general_practice_dkk", "cost_municipality_dkk", "cost_per_patient_year_dkk",
    "medical_bed_occupancy", "gp_utilisation", "outpatient_utilisation",
)


def _discard_output_dir() -> None:
    """Remove the run folder Hydra created (and the parents it created), so a rejected config leaves nothing."""
    try:
        runtime = HydraConfig.get().runtime
    except ValueError:
        return
    out, start = Path(runtime.output_dir).resolve(), Path(runtime.cwd).resolve()
    for handler in list(logging.getLogger().handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename).resolve().is_relative_to(out):
            handler.close()
            logging.getLogger().removeHandler(handler)
    shutil.rmtree(out, ignore_errors=True)
    parent = out.parent
    # e.g. outputs/<scenario>/ and outputs/, if empty; never the folder the user started in or above it
    while parent != start and parent.is_relative_to(start) and parent.exists() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def kpi_table(tidy: pd.DataFrame) -> str:
    """Mean (and 95% t-interval half-width over replications) of the headline KPIs, all patients."""
    rows = []
    overall = tidy[tidy.group == "all"]
    for name in HEADLINE:
        values = overall.loc[overall.kpi == name, "value"].to_numpy(dtype=float)
        mean = float(np.nanmean(values)) if values.size else float("nan")
        if values.size > 1:
            half = float(stats.t.ppf(0.975, values.size - 1) * np.nanstd(values, ddof=1) / np.sqrt(values.size))
            spread = f"± {half:,.4g}"
        else:
            spread = ""
        rows.append((name, f"{mean:,.4g}", spread, KPI_BY_NAME[name].unit))
    width = max(len(r[0]) for r in rows)
    lines = [f"{'KPI':<{width}}  {'value':>14}  {'95% CI':>12}  unit", "-" * (width + 45)]
    lines += [f"{n:<{width}}  {v:>14}  {s:>12}  {u}" for n, v, s, u in rows]
    return "\n".join(lines)


@hydra.main(version_base="1.3", config_path="../configs", config_name="config")
def main(raw: DictConfig) -> None:
    try:
        cfg = to_sim_config(raw)
        validate(cfg)
    except ConfigError as err:
        _discard_output_dir()
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    log.info("scenario %s, catchment %s, seed %d, %d replication(s), %.3g years after %.0f warm-up days",
             cfg.scenario.name, cfg.population.name, cfg.seed, cfg.run.replications, cfg.run.years, cfg.run.warmup_days)
    results = [run_replication(cfg, k, progress=log.info) for k in range(cfg.run.replications)]
    write_run(out_dir, cfg, results)
    tidy = pd.concat([r.tidy_kpis(cfg) for r in results], ignore_index=True)
    print(f"\nScenario '{cfg.scenario.name}' on catchment '{cfg.population.name}' "
          f"({cfg.run.replications} replication(s), seed {cfg.seed})\n")
    print(kpi_table(tidy))
    print(f"\nResults written to {out_dir}")


if __name__ == "__main__":
    main()

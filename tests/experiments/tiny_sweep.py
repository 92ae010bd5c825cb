"""A tiny finished sweep for the comparison-report tests: the baseline and two scenarios with an effect on the
small catchment, a short horizon and a few paired replications, written with experiments.tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.tables import tidy_kpis, tidy_series, write_tables
from sim.hydra_app import compose_config
from sim.runner import run_replication

SCENARIOS = ("baseline", "act_team", "coordinator_targeted")


def write_tiny_sweep(path: Path, replications: int = 4, scenarios=SCENARIOS, years: float = 0.5,
                     warmup_days: float = 30.0, seed: int = 0) -> Path:
    common = ["population=small", f"run.years={years}", f"run.warmup_days={warmup_days}", "run.event_log=false",
              f"seed={seed}"]
    kpis, series = [], []
    for scenario in scenarios:
        cfg = compose_config([*common, f"scenario={scenario}"])
        for k in range(replications):
            result = run_replication(cfg, k)
            kpis.append(tidy_kpis(result, cfg))
            series.append(tidy_series(result, cfg))
    meta = {"population": "small", "seed": seed, "replications": list(range(replications)),
            "warmup_days": float(warmup_days), "years": float(years), "scenarios": list(scenarios), "parameters": [""],
            "cells": [{"scenario": s, "parameters": "", "replications": list(range(replications))} for s in scenarios],
            "failed": []}
    write_tables(path, pd.concat(kpis, ignore_index=True), pd.concat(series, ignore_index=True), meta)
    return path

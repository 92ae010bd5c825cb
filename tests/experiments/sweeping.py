"""Helpers for the sweep tests: run the sweep command in a subprocess or in this process, read its tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]

# The smoke experiment made tinier still: 2 scenarios x 2 blocks of 2 replications, a fifth of a year after a
# 10-day warm-up (about 0.5 s a replication on the small catchment).
TINY = ["+experiment=smoke", "run.years=0.2", "run.warmup_days=10", "sweep.replications=4", "sweep.block=2"]


def run_cli(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m experiments.sweep ARGS`` as a user types it, from ``cwd``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
           "HYDRA_FULL_ERROR": "0"}
    return subprocess.run([sys.executable, "-m", "experiments.sweep", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def run_in_process(args: list[str], monkeypatch, cwd: Path) -> int:
    """The same command in this process (the basic launcher runs the jobs here, so a test can patch the
    runner); returns the exit code."""
    from experiments import sweep

    monkeypatch.chdir(cwd)
    try:
        return sweep.main(args)
    except SystemExit as stop:
        return int(stop.code or 0)


def tables(sweep_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    from experiments.tables import read_tables

    kpis, series, meta = read_tables(sweep_dir)
    return kpis, series, meta


def sorted_kpis(kpis: pd.DataFrame) -> pd.DataFrame:
    return kpis.sort_values(["scenario", "parameters", "seed", "replication", "group", "kpi"]).reset_index(drop=True)


def manifests(sweep_dir: Path) -> dict[str, dict]:
    return {str(p.parent.relative_to(sweep_dir / "cells")): json.loads(p.read_text())
            for p in sorted((sweep_dir / "cells").glob("*/*/manifest.json"))}

"""Helpers for the sweep tests: run the sweep command in a subprocess or in this process, read its tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]

# The commands README's "Sweeps" section documents, as users type them; tests run each of these (some with
# extra overrides that only make them smaller). tests/docs/docs_registry.py registers each as exercised here,
# and tests/docs/test_documented_commands.py checks that every documented command is registered.
SMOKE = "python -m experiments.sweep -m +experiment=smoke"
PARAMETER_SWEEP = "python -m experiments.sweep -m +experiment=smoke pathways.p_handoff_fail_gp=0.05,0.2"
AGGREGATE = "python -m experiments.sweep --aggregate sweeps/smoke"
BASIC = "python -m experiments.sweep -m +experiment=smoke hydra/launcher=basic"
RAY_LOCAL = "python -m experiments.sweep -m +experiment=smoke hydra/launcher=ray"
RAY_CLUSTER = "python -m experiments.sweep -m +experiment=smoke hydra/launcher=ray_cluster hydra.launcher.ray.init.address=HEAD:6379"
SUBMITIT_LOCAL = "python -m experiments.sweep -m +experiment=smoke hydra/launcher=submitit_local"
SLURM = "python -m experiments.sweep -m +experiment=smoke hydra/launcher=slurm hydra.launcher.partition=PARTITION"
OPTUNA = "python -m experiments.sweep -m +experiment=optimise_coordinator hydra/sweeper=optuna"
DEFAULT_COMPARISON = "python -m experiments.sweep -m +experiment=default_comparison"


# The smoke experiment made tinier still (a tenth of a year, no warm-up: about 0.8 s a replication), for the
# tests that only compare launchers or sweepers and need no realistic output.
TINY = ["run.years=0.1", "run.warmup_days=0"]


def args_of(command: str) -> list[str]:
    """The arguments after ``python -m experiments.sweep``."""
    prefix = "python -m experiments.sweep "
    assert command.startswith(prefix), command
    return command[len(prefix):].split()


def cli_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
            "HYDRA_FULL_ERROR": "0", **extra}


def run_cli(args: list[str], cwd: Path, timeout: float = 600, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m experiments.sweep ARGS`` as a user types it, from ``cwd``."""
    env = env or cli_env()
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


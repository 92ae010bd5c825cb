"""``make example``, the README's one-minute first command: its recipe is the example sweep and its report,
and both run (made smaller: a tenth of a year, 2 replications, one process) into a report with every scenario."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import yaml

from sweeping import REPO_ROOT, cli_env, run_cli

SWEEP = "$(PY) -m experiments.sweep -m +experiment=example"
REPORT = "$(PY) -m experiments.compare sweeps/example"


def recipe(target: str) -> list[str]:
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.M)
    assert block, f"no {target} target in the Makefile"
    return [line.strip() for line in block.group(1).splitlines()]


def test_make_example_is_the_example_sweep_and_its_report(tmp_path):
    """example: the sweep of configs/experiment/example.yaml (small catchment) and its report, as the Makefile runs them."""
    assert recipe("example") == [SWEEP, REPORT]
    experiment = yaml.safe_load((REPO_ROOT / "configs" / "experiment" / "example.yaml").read_text(encoding="utf-8"))
    scenarios = experiment["hydra"]["sweeper"]["params"]["scenario"].split(",")
    assert scenarios[0] == "baseline" and len(scenarios) == 8
    smaller = ["run.years=0.1", "run.warmup_days=10", "sweep.replications=2", "sweep.block=2", "hydra/launcher=basic"]
    done = run_cli(["-m", "+experiment=example", *smaller], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    report = subprocess.run([sys.executable, "-m", "experiments.compare", "sweeps/example"], cwd=tmp_path,
                            env=cli_env(), capture_output=True, text=True, timeout=300)
    assert report.returncode == 0, report.stderr[-3000:]
    summary = pd.read_csv(tmp_path / "sweeps" / "example" / "report" / "decision_summary.csv")
    assert sorted(summary.label) == sorted(scenarios[1:])
    assert (tmp_path / "sweeps" / "example" / "report" / "report.html").stat().st_size > 0

"""``python -m experiments.specialisation_dilemma``: figures, numbers, saved tables and clear refusals.

The runs are tiny (2 replications, a quarter of a year) — this tests the command, not the curves (those are
checked by the validation command, tests/validation/test_validate.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "experiments.specialisation_dilemma"]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("dilemma")
    proc = _run("--curves", "level,design", "--replications", "2", "--years", "0.25", "--jobs", "2",
                "--out", str(out / "img"), "--markdown", str(out / "numbers.md"), "--save", str(out / "runs.parquet"),
                cwd=out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


def test_the_command_writes_one_figure_per_curve_and_the_numbers(made):
    out, proc = made
    figures = sorted(p.name for p in (out / "img").glob("*.png"))
    assert figures == ["dilemma-design.png", "dilemma-specialisation.png"]
    assert all((out / "img" / f).stat().st_size > 20_000 for f in figures)  # a drawn figure, not an empty canvas
    numbers = (out / "numbers.md").read_text()
    assert "## level" in numbers and "## design" in numbers and "adverse_transition_share (all)" in numbers
    assert "runs (" in proc.stderr  # progress went to stderr


def test_the_saved_table_redraws_without_running(made, tmp_path):
    out, _ = made
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs.curve) == {"level", "design"} and runs.replication.nunique() == 2
    assert sorted(runs[runs.curve == "level"].x.unique()) == [1, 2, 3, 4, 5, 6]
    proc = _run("--replot", str(out / "runs.parquet"), "--out", str(tmp_path / "again"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(p.name for p in (tmp_path / "again").glob("*.png")) == ["dilemma-design.png", "dilemma-specialisation.png"]
    assert "runs (" not in proc.stderr  # nothing was simulated


@pytest.mark.parametrize("args,named", [
    (["--curves", "level,spaghetti"], "spaghetti"),
    (["--set", "scenario.specialisation.level=12"], "scenario.specialisation.level"),
    (["--set", "scenario.specialisation.levle=3"], "levle"),
    (["--replications", "1"], "replications = 1"),
])
def test_bad_input_is_refused_before_anything_runs(tmp_path, args, named):
    proc = _run(*args, "--out", str(tmp_path / "img"), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert named in proc.stderr
    assert not (tmp_path / "img").exists()

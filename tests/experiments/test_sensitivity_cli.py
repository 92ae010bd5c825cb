"""``python -m experiments.sensitivity``: the figure, the table in the model card, save/replot, clear refusals.

The run is tiny (2 parameters, 2 trajectories, 1 replication, 0.2 years): it tests the command, not the
ranking (the Morris arithmetic is tested on analytic functions in tests/unit/test_morris.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from experiments import sensitivity

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "experiments.sensitivity"]
# arguments that only make a documented command smaller (and keep it out of docs/)
SMALL = ["--parameters", "p_handoff_fail_gp,bed_day_cost", "--trajectories", "2", "--replications", "1",
         "--years", "0.2", "--jobs", "2"]
CARD = "# A card\n\nBefore.\n\n<!-- sensitivity:begin -->\nold table\n<!-- sensitivity:end -->\n\nAfter.\n"


def _card(folder: Path) -> Path:
    path = folder / "card.md"
    path.write_text(CARD)
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The documented ``--save runs.parquet`` command, made small."""
    out = tmp_path_factory.mktemp("sensitivity")
    card = _card(out)
    proc = subprocess.run([*COMMAND, "--save", "runs.parquet", *SMALL, "--out", str(out / "img"), "--card", str(card)],
                          cwd=out, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


def test_the_command_draws_the_figure_and_writes_the_table_between_the_markers(made):
    out, proc = made
    figure = out / "img" / sensitivity.FIGURE
    assert figure.stat().st_size > 20_000                      # a drawn figure, not an empty canvas
    card = (out / "card.md").read_text()
    assert card.startswith("# A card\n\nBefore.\n") and card.endswith("\n\nAfter.\n")   # the rest is kept
    assert "old table" not in card
    block = card.split(sensitivity.CARD_BEGIN)[1].split(sensitivity.CARD_END)[0]
    assert "| p_handoff_fail_gp |" in block and "| bed_day_cost |" in block
    assert "readmission_rate_30d: coordinator_targeted - usual care" in block
    assert "*noise (SE of one effect)* | n/a" in block       # one replication: the noise cannot be measured
    # the bed-day price cannot change how many patients are readmitted: exactly zero under common random numbers
    row = [line for line in block.splitlines() if line.startswith("| bed_day_cost |")][-1]   # the results table's row
    assert row.split("|")[2].strip() == "0 (0)"
    assert "runs (" in proc.stderr                           # progress went to stderr


def test_the_saved_runs_redraw_without_running_and_give_the_same_table(made, tmp_path):
    out, _ = made
    runs = pd.read_parquet(out / "runs.parquet")
    assert set(runs.scenario) == {"baseline", "coordinator_targeted"}
    assert runs.trajectory.nunique() == 2 and runs.point.nunique() == 3 and set(runs.replication) == {0}
    card = _card(tmp_path)
    assert sensitivity.main(["--replot", str(out / "runs.parquet"), "--out", str(tmp_path / "img"), "--card", str(card)]) == 0
    assert (tmp_path / "img" / sensitivity.FIGURE).is_file()
    table = lambda text: text.split(sensitivity.CARD_BEGIN)[1].split("\n\n", 1)[1]  # noqa: E731 (after the run-time line)
    assert table(card.read_text()) == table((out / "card.md").read_text())


def test_the_fixture_only_makes_the_documented_command_smaller():
    # tests/docs registers the model card's commands as run by this file (the fixture and the replot test);
    # the fixture may add only arguments that shrink the run (or keep it out of docs/: --out, --card)
    assert {a for a in SMALL if a.startswith("--")} <= {"--parameters", "--trajectories", "--replications", "--years", "--jobs"}


@pytest.mark.parametrize("args,named", [
    (["--trajectories", "1"], "trajectories = 1"),
    (["--replications", "0"], "replications = 0"),
    (["--jobs", "0"], "jobs = 0"),
    (["--years", "0"], "--years"),
    (["--years", "100"], "run.years"),
    (["--levels", "3"], "levels = 3"),
    (["--parameters", "p_handoff_fail_gp,spaghetti"], "spaghetti"),
    (["--population", "atlantis"], "atlantis"),
    (["--scenario", "baseline"], "scenario = baseline"),
    (["--scenario", "nonsense"], "nonsense"),
    (["--replot", "missing.parquet"], "missing.parquet"),
])
def test_bad_arguments_exit_2_naming_the_problem_and_write_nothing(tmp_path, capsys, args, named):
    card = _card(tmp_path)
    with pytest.raises(SystemExit) as stop:
        sensitivity.main([*args, "--out", str(tmp_path / "img"), "--card", str(card)])
    assert stop.value.code == 2
    assert named in capsys.readouterr().err
    assert not (tmp_path / "img").exists() and card.read_text() == CARD


def test_a_card_without_the_markers_is_refused_before_running(tmp_path, capsys):
    card = tmp_path / "card.md"
    card.write_text("# no markers\n")
    with pytest.raises(SystemExit) as stop:
        sensitivity.main(["--out", str(tmp_path / "img"), "--card", str(card)])
    assert stop.value.code == 2 and "sensitivity:begin" in capsys.readouterr().err
    assert card.read_text() == "# no markers\n" and not (tmp_path / "img").exists()


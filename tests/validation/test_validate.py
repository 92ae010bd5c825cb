"""The validation command (python -m experiments.validate): the reduced version passes and its table is sound.

``--quick`` is what CI runs: 8 paired replications of the small catchment for 2 years (baseline and the eight
scenarios the facts need) and the specialisation dilemma on 7 points x 5 replications x 1 year. It replaces
tests that computed the same facts on their own runs, with the same rules (now in
experiments/validation/facts.py), so the suite runs those simulations once:

* tests/validation/test_scenario_checks.py's stylised facts of ACT, the targeted and universal coordinator and
  the health coach (``scenario_fact_checks.checks``; 8 replications of 1.5 years before, now 8 of 2 years);
* tests/validation/test_telemonitoring.py (10 replications of 1.5 years before, now 8 of 2 years: about the same
  person-years per run set; the same four rules on the same monitored patients);
* tests/validation/test_specialisation_dilemma.py (the same points, replications, horizon and rules).

Every rule and its tolerance is stated, with the reason, in experiments/validation/facts.py. The seeds are
fixed, so the outcome is reproducible; measured margins are in docs/validation.md (the full run).
About 3.5 CPU-minutes for the quick run; the tests it replaced took about 3 (see the report of the branch).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from experiments import validate
from experiments.validation.facts import Fact, Inputs, Row

ROOT = Path(__file__).resolve().parents[2]
SOURCE = re.compile(r"^(VIVE 2018|SST 2013|Slides|Region H 2018|Buch \(DSI\)) l\.\d+")


def _results_rows(text: str) -> list[list[str]]:
    """The cells of the Results table's body rows (escaped pipes kept inside their cell)."""
    body = text.split("## Results", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in body.splitlines() if line.startswith("|")]
    assert lines[0].startswith("| # | fact | target | source | pass rule | simulated (95% CI) | result |"), lines[0]
    assert re.fullmatch(r"\|(-*:?-+:?\|)+", lines[1].replace("---:", "---")), lines[1]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[2:]]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """The documented ``python -m experiments.validate --quick``, in-process, writing to a temporary file."""
    out = tmp_path_factory.mktemp("validate") / "validation.md"
    code = validate.main(["--quick", "--out", str(out)])
    return code, out.read_text()


@pytest.mark.long
def test_every_fact_passes_in_the_reduced_run(quick):
    code, text = quick
    failed = [" | ".join(row) for row in _results_rows(text) if row[-1] != "pass"]
    assert code == 0 and not failed, "\n".join(failed)


@pytest.mark.long
def test_the_table_is_well_formed(quick):
    _, text = quick
    rows = _results_rows(text)
    # every fact of the registry contributes rows (2 + 2 + 3 + 4 + 3 + 4 + 2 + 5)
    assert len(rows) == 25, len(rows)
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        assert len(row) == 7, row
        number, fact, target, source, rule, value, result = row
        assert fact and target and rule, row
        assert SOURCE.match(source), f"source must be a document and line: {source!r}"
        assert re.search(r"\[[^\]]+,[^\]]+\]", value), f"simulated value without a 95% interval: {value!r}"
        assert result in ("pass", "**fail**"), row
    for item in ("| command | `python -m experiments.validate --quick", "| paired scenario runs | 8 replications of `small`, "
                 "2 years after the warm-up, seed 0 |", "5 replications per point, 1 years", "| runtime |", "| date |",
                 "| git commit |", "## How to read this table", "```bash"):
        assert item in text, item
    assert f"**{len(rows)} of {len(rows)} checks pass.**" in text


def _failing(_: Inputs) -> list[Row]:
    return [Row("injected", "a fact the model cannot meet", "Slides l.1", "1 < 0", "0 [0, 0]", False)]


def _passing(_: Inputs) -> list[Row]:
    return [Row("injected", "a fact the model meets", "Slides l.2", "0 < 1", "0 [0, 0]", True)]


def test_a_failing_fact_shows_fail_and_exits_1(tmp_path, monkeypatch, capsys):
    # no model runs: the runs are replaced by empty inputs, and two injected facts judge them
    monkeypatch.setattr(validate, "run", lambda facts, settings, progress: Inputs())
    out = tmp_path / "validation.md"
    code = validate.main(["--facts", "gp_referral", "--replications", "2", "--out", str(out)],
                         facts_override=[Fact("passes", (), _passing), Fact("fails", (), _failing)])
    assert code == 1
    rows = _results_rows(out.read_text())
    assert [r[-1] for r in rows] == ["pass", "**fail**"]
    assert "**1 of 2 checks pass.**" in out.read_text()
    captured = capsys.readouterr()
    assert "FAIL injected: a fact the model cannot meet" in captured.err
    assert "1 of 2 checks pass" in captured.out


def test_all_facts_passing_exits_0(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "run", lambda facts, settings, progress: Inputs())
    out = tmp_path / "validation.md"
    assert validate.main(["--out", str(out)], facts_override=[Fact("passes", (), _passing)]) == 0
    assert [r[-1] for r in _results_rows(out.read_text())] == ["pass"]


@pytest.mark.parametrize("args, message", [
    (["--facts", "act,nonsense"], "--facts: unknown fact(s) nonsense; allowed values: cost_concentration, gp_referral"),
    (["--facts", ","], "--facts: unknown fact(s) (none given)"),
    (["--replications", "1"], "--replications 1: need at least 2"),
    (["--years", "0"], "--years 0: must be positive"),
    (["--jobs", "0"], "--jobs 0: must be at least 1"),
    (["--population", "atlantis"], "--population atlantis"),
    (["--facts", "cost_concentration", "--years", "1"], "fact cost_concentration needs at least 2 results years"),
    (["--facts", "needs_based_controls", "--years", "1"], "fact needs_based_controls reads day 730 of the run"),
    (["--replications", "many"], "--replications: invalid int value"),
    (["--unknown"], "unrecognized arguments: --unknown"),
])
def test_bad_arguments_exit_2_with_a_clear_message_and_write_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "validation.md"
    with pytest.raises(SystemExit) as exit_:
        validate.main([*args, "--out", str(out)])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_documented_commands_run_as_a_subprocess(tmp_path):
    """``python -m experiments.validate --jobs 2`` and ``--facts gp_referral,act --replications 4 --years 1``
    (docs/validation.md), smaller: two facts, 3 replications of 1 year, on 2 processes."""
    out = tmp_path / "validation.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "experiments.validate", "--jobs", "2", "--facts", "gp_referral,act",
                           "--replications", "3", "--years", "1", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "5 of 5 checks pass" in done.stdout
    assert "replication 3/3 done" in done.stderr  # progress on stderr
    assert [r[-1] for r in _results_rows(out.read_text())] == ["pass"] * 5

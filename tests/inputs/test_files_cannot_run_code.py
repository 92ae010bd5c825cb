"""A file dropped into configs/scenario/ cannot run code or read the environment (the attack: a scenario file
with ``# @package _global_`` set ``hydra.callbacks.<x>._target_: shutil.copyfile`` and copied a system file,
exit 0; ``make run`` globs every scenario file, so dropping one there was enough).

Each test works on a copy of the project's configs/ (given to the command with ``--config-path``, as the
project's own folder is given by default) holding one hostile scenario file. The command is refused with the
file and the key named; nothing changes anywhere (the copy, the working folder, the folder the callback would
write to); the default comparison names the file and stops before any job; other scenarios still run.
"""

from __future__ import annotations

import runpy
import shutil
import sys
from pathlib import Path

import pytest

from refusal import SIM_MAIN, tree

from sim.hydra_app import CONFIG_DIR

QUICK = ["population=small", "run.years=0.05", "run.warmup_days=0", "run.event_log=false"]


def attacks(outside: Path) -> dict[str, tuple[str, str]]:
    """name -> (file content, text the refusal must name)."""
    steal = f"      _target_: shutil.copyfile\n      src: /etc/hostname\n      dst: {outside / 'stolen.txt'}\n"
    return {
        "callbacks": (f"# @package _global_\nscenario:\n  name: evil\nhydra:\n  callbacks:\n    steal:\n{steal}", "@package"),
        "callbacks_without_package": (f"name: evil\nhydra:\n  callbacks:\n    steal:\n{steal}", "hydra"),
        "target": ("name: evil\ncoordinator:\n  _target_: shutil.rmtree\n  path: " + str(outside) + "\n", "_target_"),
        "environment": ("name: evil\ndescription: ${oc.env:HOME}\n", "oc.env"),
    }


@pytest.fixture
def project(tmp_path, monkeypatch):
    """(configs copy, outside folder, working folder); the working folder is the current one."""
    configs, outside, work = tmp_path / "configs", tmp_path / "outside", tmp_path / "work"
    shutil.copytree(CONFIG_DIR, configs)
    outside.mkdir()
    (outside / "keep.txt").write_text("must survive\n")
    work.mkdir()
    monkeypatch.chdir(work)
    return configs, outside, work


def sim(args: list[str], monkeypatch) -> int:
    monkeypatch.setattr(sys, "argv", [str(SIM_MAIN), *args])
    try:
        runpy.run_module("sim", run_name="__main__")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 0


@pytest.mark.parametrize("attack", ["callbacks", "callbacks_without_package", "target", "environment"])
def test_a_hostile_scenario_file_is_refused_and_nothing_changes(attack, project, tmp_path, monkeypatch, capsys):
    configs, outside, work = project
    content, named = attacks(outside)[attack]
    (configs / "scenario" / "evil.yaml").write_text(content)
    before = tree(tmp_path)
    code = sim(["--config-path", str(configs), "scenario=evil", *QUICK], monkeypatch)
    err = capsys.readouterr().err
    assert code != 0
    assert "scenario/evil.yaml" in err and named in err and "Traceback" not in err, err
    assert tree(tmp_path) == before
    assert not (outside / "stolen.txt").exists() and (outside / "keep.txt").read_text() == "must survive\n"


def test_the_default_comparison_names_the_bad_file_and_does_no_work(project, tmp_path, monkeypatch, capsys):
    from experiments import sweep

    configs, outside, work = project
    (configs / "scenario" / "evil.yaml").write_text(attacks(outside)["callbacks_without_package"][0])
    before = tree(tmp_path)
    try:
        code = sweep.main(["-m", "--config-path", str(configs), "+experiment=default_comparison", "sweep.replications=1",
                           "sweep.block=1", "hydra/launcher=basic", *QUICK])
    except SystemExit as stop:   # the sweeper refuses bad input with exit code 2 before any job
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and "scenario/evil.yaml" in err and "Traceback" not in err, err
    assert tree(tmp_path) == before and not (work / "sweeps").exists()
    assert not (outside / "stolen.txt").exists()


def test_other_scenarios_still_run_beside_a_malformed_file(project, monkeypatch, capsys):
    configs, outside, work = project
    (configs / "scenario" / "broken.yaml").write_bytes(b"name: broken\n\tcoordinator: \xff\n")
    assert sim(["--config-path", str(configs), "scenario=act_team", *QUICK], monkeypatch) == 0
    assert "Results written to" in capsys.readouterr().out
    assert list((work / "outputs" / "act_team").glob("*/manifest.json"))

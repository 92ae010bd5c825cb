"""The sweep (python -m experiments.sweep): tables, common random numbers, resume, failures, bad input.

The smoke experiment (2 scenarios x 2 blocks of 2 replications on the small catchment, 0.2 years) keeps
every run to seconds. The README's commands are run here as a user types them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from experiments.tables import KPI_COLUMNS, SERIES_KEYS
from sim.hydra_app import compose_config
from sim.runner import run_replication
from sweeping import (AGGREGATE, BASIC, DEFAULT_COMPARISON, PARAMETER_SWEEP, REPO_ROOT, SMOKE, TINY,
                      args_of, cli_env, manifests, run_cli, run_in_process, sorted_kpis, tables)

SMOKE_MODEL = ["population=small", "run.years=0.2", "run.warmup_days=10", "run.event_log=false"]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """The README's first command, run with the default (joblib) launcher from a fresh folder."""
    cwd = tmp_path_factory.mktemp("smoke")
    done = run_cli(args_of(SMOKE), cwd)
    assert done.returncode == 0, done.stderr[-3000:]
    return cwd, cwd / "sweeps" / "smoke", done


def test_smoke_sweep_writes_the_tidy_tables(smoke):
    _, sweep_dir, done = smoke
    kpis, series, meta = tables(sweep_dir)
    assert tuple(kpis.columns) == KPI_COLUMNS
    assert tuple(series.columns[:len(SERIES_KEYS)]) == SERIES_KEYS
    assert meta["scenarios"] == ["baseline", "coordinator_targeted"]          # baseline first
    assert meta["replications"] == [0, 1, 2, 3] and meta["parameters"] == [""]
    assert (meta["population"], meta["seed"], meta["warmup_days"], meta["years"]) == ("small", 0, 10.0, 0.2)
    assert len(meta["cells"]) == 4 and meta["failed"] == [] and meta["complete"] is True
    for scenario in meta["scenarios"]:
        assert sorted(set(kpis[kpis.scenario == scenario].replication)) == [0, 1, 2, 3]
        assert sorted(set(series[series.scenario == scenario].replication)) == [0, 1, 2, 3]
    assert not kpis.duplicated(["scenario", "parameters", "seed", "replication", "group", "kpi"]).any()
    assert "4 cell(s) complete (4 computed in the latest run, 0 reused), 0 failed" in done.stdout
    # progress: every job says how far the sweep is when its cell is done
    assert "progress: 4/4 cells done (4 in this run, 0 failed)" in done.stdout + done.stderr
    # every cell has its manifest: config hash, replications, commit and versions
    for cell, manifest in manifests(sweep_dir).items():
        assert manifest["config_hash"] in {c["config_hash"] for c in meta["cells"]}
        assert {"git", "versions", "overrides", "replications"} <= manifest.keys()


def test_replication_k_of_a_cell_is_replication_k_of_the_model(smoke):
    # Common random numbers: the sweep's replication k is run_replication(cfg, k) for the same config, so
    # replication k of every scenario draws from the streams of k (exact equality, not a tolerance).
    _, sweep_dir, _ = smoke
    kpis, _, _ = tables(sweep_dir)
    cfg = compose_config(SMOKE_MODEL + ["scenario=coordinator_targeted"])
    direct = run_replication(cfg, 3).tidy_kpis(cfg)
    swept = kpis[(kpis.scenario == "coordinator_targeted") & (kpis.replication == 3)]
    pd.testing.assert_series_equal(swept.value.reset_index(drop=True), direct.value.reset_index(drop=True),
                                   check_names=False)


def test_re_running_a_finished_sweep_computes_nothing_and_aggregate_rebuilds_the_tables(smoke):
    cwd, sweep_dir, _ = smoke
    kpis_before, series_before, _ = tables(sweep_dir)
    stamps = {c: m["computed_at"] for c, m in manifests(sweep_dir).items()}
    again = run_cli(args_of(SMOKE), cwd)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "(0 computed in the latest run, 4 reused)" in again.stdout
    assert "progress:" not in again.stdout + again.stderr   # nothing computed: no progress line per reused cell
    assert {c: m["computed_at"] for c, m in manifests(sweep_dir).items()} == stamps
    # by hand: python -m experiments.sweep --aggregate sweeps/smoke
    for name in ("kpis.parquet", "timeseries.parquet", "sweep.json"):
        (sweep_dir / name).unlink()
    rebuilt = run_cli(args_of(AGGREGATE), cwd)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    kpis, series, _ = tables(sweep_dir)
    pd.testing.assert_frame_equal(kpis, kpis_before)
    pd.testing.assert_frame_equal(series, series_before)


def test_basic_launcher_gives_identical_tables(smoke, tmp_path, monkeypatch):
    # One process (basic, here the test's own) against worker processes (joblib, the default): the same
    # tables, row for row (the aggregation orders rows by the plan, not by when cells finished).
    _, joblib_dir, _ = smoke
    assert run_in_process(args_of(BASIC), monkeypatch, tmp_path) == 0
    basic_dir = tmp_path / "sweeps" / "smoke"
    kpis, series, _ = tables(basic_dir)
    reference_kpis, reference_series, _ = tables(joblib_dir)
    pd.testing.assert_frame_equal(kpis, reference_kpis)
    pd.testing.assert_frame_equal(series, reference_series)
    # and the two runs really used different process layouts
    pids = lambda d: {m["pid"] for m in manifests(d).values()}      # noqa: E731
    assert pids(basic_dir) == {os.getpid()} and os.getpid() not in pids(joblib_dir)


def test_parameter_sweep_crosses_scenarios_and_parameter_values(tmp_path, monkeypatch):
    """The README's scenarios x parameters example (made smaller: 2 replications, a tenth of a year, one
    process): one parameter set per value, both scenarios in each, and the parameter acts."""
    args = args_of(PARAMETER_SWEEP) + TINY + ["sweep.replications=2", "hydra/launcher=basic"]
    assert run_in_process(args, monkeypatch, tmp_path) == 0
    kpis, _, meta = tables(tmp_path / "sweeps" / "smoke")
    low, high = "pathways.p_handoff_fail_gp=0.05", "pathways.p_handoff_fail_gp=0.2"
    assert meta["parameters"] == [low, high] and meta["scenarios"] == ["baseline", "coordinator_targeted"]
    cells = kpis.groupby(["scenario", "parameters"]).replication.unique()
    assert {key: sorted(reps) for key, reps in cells.items()} == {
        (s, p): [0, 1] for s in meta["scenarios"] for p in (low, high)}
    # The same patients (common random numbers), four times the GP handoff failure probability: more failed
    # handoffs in the mean over replications (the GP handoff is one of several, so the share rises less).
    share = kpis[(kpis.kpi == "failed_handoff_share") & (kpis.group == "all") & (kpis.scenario == "baseline")]
    means = share.groupby("parameters").value.mean()
    assert means[high] > means[low]


def test_a_failing_cell_is_recorded_and_a_re_run_finishes_only_what_is_missing(smoke, tmp_path, monkeypatch):
    """Resume: one cell raises (standing in for a crash), the others and the aggregation go on, the exit
    code says so; the re-run computes exactly the missing replications, and the final tables equal the
    uninterrupted run's. Deleting a finished cell's manifest (a kill before the manifest was written)
    makes the next run recompute that cell and nothing else."""
    import experiments.cells as cells

    computed: list[tuple[str, int]] = []

    def counting(fail_at=None):
        def replicate(cfg, k):
            if (cfg.config.scenario.name, k) == fail_at:
                raise RuntimeError("injected failure")
            result = run_replication(cfg, k)
            computed.append((cfg.config.scenario.name, k))
            return result
        return replicate

    sweep_dir = tmp_path / "resumed"
    args = ["-m", "+experiment=smoke", "hydra/launcher=basic", f"hydra.sweep.dir={sweep_dir}"]
    monkeypatch.setattr(cells, "run_replication", counting(fail_at=("coordinator_targeted", 2)))
    assert run_in_process(args, monkeypatch, tmp_path) == 1
    assert sorted(computed) == [("baseline", k) for k in range(4)] + [("coordinator_targeted", 0), ("coordinator_targeted", 1)]
    kpis, _, meta = tables(sweep_dir)
    assert [f["cell"].split("-r")[-1] for f in meta["failed"]] == ["2-3"]
    failure = meta["failed"][0]
    assert failure["scenario"] == "coordinator_targeted" and "injected failure" in failure["error"]
    details = json.loads((sweep_dir / failure["details"]).read_text())
    assert "RuntimeError: injected failure" in details["traceback"] and details["config"]["scenario"]["name"] == "coordinator_targeted"
    assert sorted(set(kpis[kpis.scenario == "coordinator_targeted"].replication)) == [0, 1]

    computed.clear()
    monkeypatch.setattr(cells, "run_replication", counting())
    assert run_in_process(args, monkeypatch, tmp_path) == 0
    assert sorted(computed) == [("coordinator_targeted", 2), ("coordinator_targeted", 3)]   # nothing twice
    kpis, series, meta = tables(sweep_dir)
    assert meta["failed"] == [] and not list(sweep_dir.glob("cells/*/*/error.json"))
    reference_kpis, reference_series, _ = tables(smoke[1])
    pd.testing.assert_frame_equal(sorted_kpis(kpis), sorted_kpis(reference_kpis))
    pd.testing.assert_frame_equal(series, reference_series)

    computed.clear()
    victim = next(c for c in manifests(sweep_dir) if c.startswith("baseline/") and c.endswith("-r0-1"))
    (sweep_dir / "cells" / victim / "manifest.json").unlink()
    assert run_in_process(args, monkeypatch, tmp_path) == 0
    assert sorted(computed) == [("baseline", 0), ("baseline", 1)]
    pd.testing.assert_frame_equal(sorted_kpis(tables(sweep_dir)[0]), sorted_kpis(reference_kpis))


def test_a_planned_cell_whose_job_died_is_reported(smoke, tmp_path):
    # A job killed before it wrote anything leaves no files: the aggregation reports it from the plan.
    sweep_dir = tmp_path / "killed"
    shutil.copytree(smoke[1], sweep_dir)
    victim = next(iter(manifests(sweep_dir)))
    shutil.rmtree(sweep_dir / "cells" / victim)
    done = run_cli(["--aggregate", str(sweep_dir)], tmp_path)
    assert done.returncode == 1
    assert "did not finish" in done.stdout and victim in done.stdout
    assert [f["cell"] for f in tables(sweep_dir)[2]["failed"]] == [victim]


@pytest.mark.parametrize("bad, message", [
    (["sweep.block=0"], "sweep.block = 0: allowed range [1, sweep.replications = 4]"),
    (["sweep.block=5"], "sweep.block = 5"),
    (["sweep.first=2"], "sweep.first is set by the sweeper"),
    (["sweep.block=1,2"], "sweep.block cannot be swept"),
    (["scenario.coordinator.caseload_per_staff=-1,40"], "scenario.coordinator.caseload_per_staff = -1"),
])
def test_bad_sweep_input_fails_before_anything_runs(bad, message, tmp_path, monkeypatch, capsys):
    sweep_dir = tmp_path / "never"
    code = run_in_process(["-m", "+experiment=smoke", "hydra/launcher=basic", f"hydra.sweep.dir={sweep_dir}", *bad],
                          monkeypatch, tmp_path)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not sweep_dir.exists()


def test_unknown_sweep_key_is_named(tmp_path, monkeypatch, capsys):
    code = run_in_process(["-m", "+experiment=smoke", "sweep.blok=3", f"hydra.sweep.dir={tmp_path / 'never'}"],
                          monkeypatch, tmp_path)
    assert code != 0 and "sweep.blok" in capsys.readouterr().err
    assert not (tmp_path / "never").exists()


def test_sweep_app_composes_the_same_groups_as_the_main_config():
    # configs/sweep.yaml repeats config.yaml's defaults (a typed root needs its own schema); keep them equal.
    def groups(name):
        defaults = yaml.safe_load((REPO_ROOT / "configs" / name).read_text())["defaults"]
        return [d for d in defaults if isinstance(d, dict) and not any(k.startswith("override") for k in d)]
    assert groups("sweep.yaml") == groups("config.yaml")


def test_default_comparison_plans_every_scenario_file(tmp_path, monkeypatch):
    # The scenario list is found by glob: every file in configs/scenario/ becomes cells, baseline included.
    # Only the plan is made (the basic sweeper's launch is replaced), so nothing is simulated.
    from hydra.core.plugins import Plugins

    # Hydra's first plugin scan re-executes the plugin modules (new class objects): scan first, then patch
    # the class the scan left, or the patch is lost and 30 Randers jobs start.
    Plugins.instance()
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    monkeypatch.setattr(BasicSweeper, "sweep", lambda self, arguments: [])
    sweep_dir = tmp_path / "plan_only"
    assert run_in_process(args_of(DEFAULT_COMPARISON) + [f"hydra.sweep.dir={sweep_dir}"], monkeypatch, tmp_path) == 1
    plan = json.loads((sweep_dir / "plan.json").read_text())
    files = {p.stem for p in (REPO_ROOT / "configs" / "scenario").glob("*.yaml")}
    assert {job["scenario"] for job in plan["jobs"]} == files
    experiment = yaml.safe_load((REPO_ROOT / "configs" / "experiment" / "default_comparison.yaml").read_text())
    reps = experiment["sweep"]["replications"]
    for scenario in files:
        covered = sorted(k for job in plan["jobs"] if job["scenario"] == scenario for k in job["replications"])
        assert covered == list(range(reps))
    config = json.loads((sweep_dir / "plan.json").read_text())
    assert config["jobs"] and all("population=" not in " ".join(j["overrides"]) for j in config["jobs"])


@pytest.mark.slow
def test_a_sweep_killed_midway_finishes_on_re_run_without_computing_a_cell_twice(smoke, tmp_path):
    """A real kill (SIGKILL to the whole process group, as a pre-empted job or a closed laptop) after the
    first cell is written; the re-run computes exactly the cells without a manifest, leaves the finished ones
    untouched, and the final tables equal the uninterrupted run's."""
    cwd = tmp_path
    command = [sys.executable, "-m", "experiments.sweep", *args_of(BASIC)]
    running = subprocess.Popen(command, cwd=cwd, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    sweep_dir = cwd / "sweeps" / "smoke"
    deadline = time.monotonic() + 300
    try:
        while not ((sweep_dir / "cells").exists() and manifests(sweep_dir)):
            assert running.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline, "no cell finished within 300 s"
            time.sleep(0.05)
    finally:
        os.killpg(running.pid, signal.SIGKILL)
        running.wait()
    before = {c: m["computed_at"] for c, m in manifests(sweep_dir).items()}
    assert 1 <= len(before) < 4 and not (sweep_dir / "sweep.json").exists()

    again = run_cli(args_of(BASIC), cwd)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"({4 - len(before)} computed in the latest run, {len(before)} reused)" in again.stdout
    after = {c: m["computed_at"] for c, m in manifests(sweep_dir).items()}
    assert len(after) == 4 and {c: after[c] for c in before} == before
    kpis, series, _ = tables(sweep_dir)
    reference_kpis, reference_series, _ = tables(smoke[1])
    pd.testing.assert_frame_equal(kpis, reference_kpis)
    pd.testing.assert_frame_equal(series, reference_series)


"""Sweeps lose nothing and trust nothing blindly: a killed launcher leaves no worker, a damaged cell is computed
again, and a second sweep in the same folder is refused.

One small sweep throughout (the smoke experiment made tiny: 2 scenarios x 3 replications of 18 days, one
replication per job, so 6 cells of under a second). Its uninterrupted run (basic launcher, in this process) is
the reference; "identical" means the bytes of ``kpis.parquet`` and ``timeseries.parquet``. The kill and the
concurrent sweep start real processes and are marked long (CI runs them); the damaged cells are checked in
every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from processes import alive, descendants
from sweeping import BASIC, SMOKE, args_of, cli_env, manifests, run_in_process

CELLS = 6
SIX_CELLS = ["run.years=0.05", "run.warmup_days=0", "sweep.replications=3", "sweep.block=1"]
TABLES = ("kpis.parquet", "timeseries.parquet")


def digests(sweep_dir: Path) -> dict[str, str]:
    return {name: hashlib.sha256((sweep_dir / name).read_bytes()).hexdigest() for name in TABLES}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The uninterrupted sweep: its folder and the digests of its tables."""
    cwd = tmp_path_factory.mktemp("reference")
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert run_in_process(args_of(BASIC) + SIX_CELLS, monkeypatch, cwd) == 0
    sweep_dir = cwd / "sweeps" / "smoke"
    assert len(manifests(sweep_dir)) == CELLS and not (sweep_dir / "sweep.lock").exists()
    return sweep_dir, digests(sweep_dir)


def start(command: str, cwd: Path, log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, "-m", "experiments.sweep", *args_of(command), *SIX_CELLS], cwd=cwd,
                                env=cli_env(), stdout=out, stderr=subprocess.STDOUT)


def wait_until(condition, what: str, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.long
def test_a_killed_launcher_leaves_no_worker_and_the_re_run_computes_each_cell_once(reference, tmp_path):
    """kill -9 of the launcher alone (its joblib workers are not signalled): every worker is gone within
    seconds, none finishes a cell afterwards, and the re-run computes exactly the cells that had not finished;
    its tables are byte-identical to the uninterrupted run's."""
    sweep_dir = tmp_path / "sweeps" / "smoke"
    launcher = start(SMOKE, tmp_path, tmp_path / "killed.log")   # the default launcher: joblib on all cores
    try:
        wait_until(lambda: (sweep_dir / "cells").exists() and len(manifests(sweep_dir)) >= 1, "a finished cell")
        workers = descendants(launcher.pid)
        assert workers, "the joblib launcher started no worker processes"
    finally:
        os.kill(launcher.pid, signal.SIGKILL)
        launcher.wait()
    wait_until(lambda: not alive(workers), f"the workers {sorted(alive(workers))} to stop", timeout=10)
    finished = {cell: m["computed_at"] for cell, m in manifests(sweep_dir).items()}
    time.sleep(1.0)
    assert {cell: m["computed_at"] for cell, m in manifests(sweep_dir).items()} == finished, "a cell was finished after the kill"
    assert 1 <= len(finished) < CELLS, "the sweep should have been killed midway"

    again = subprocess.run([sys.executable, "-m", "experiments.sweep", *args_of(SMOKE), *SIX_CELLS], cwd=tmp_path,
                           env=cli_env(), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "ended without releasing it (killed?); taking it over" in again.stderr
    assert f"({CELLS - len(finished)} computed in the latest run, {len(finished)} reused)" in again.stdout
    after = manifests(sweep_dir)
    assert len(after) == CELLS and {cell: after[cell]["computed_at"] for cell in finished} == finished
    assert digests(sweep_dir) == reference[1]


def test_a_damaged_cell_is_computed_again_and_the_tables_are_identical(reference, tmp_path, monkeypatch):
    """Each kind of cell file damaged in a different cell (a truncated Parquet file broke every re-run, a
    truncated series exited 0 with stale tables), one of them changed without changing its size: --aggregate
    reports them, the re-run recomputes exactly those cells, and the tables are byte-identical to the
    uninterrupted run's."""
    import experiments.cells as cells
    from sim.runner import run_replication

    sweep_dir = tmp_path / "sweeps" / "smoke"
    shutil.copytree(reference[0], sweep_dir)
    damages = (("kpis.parquet", "truncate"), ("timeseries.parquet", "truncate"), ("manifest.json", "truncate"),
               ("kpis.parquet", "overwrite"))
    victims = dict(zip(sorted(manifests(sweep_dir)), damages))
    for cell, (name, how) in victims.items():
        path = sweep_dir / "cells" / cell / name
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if how == "truncate" else data[:-12] + b"XXXXXXXXXXXX")

    assert run_in_process(["--aggregate", str(sweep_dir)], monkeypatch, tmp_path) == 1
    failed = json.loads((sweep_dir / "sweep.json").read_text())["failed"]
    assert {f["cell"] for f in failed} == set(victims)

    computed = []
    monkeypatch.setattr(cells, "run_replication", lambda cfg, k: computed.append((cfg.config.scenario.name, k)) or run_replication(cfg, k))
    assert run_in_process(args_of(BASIC) + SIX_CELLS, monkeypatch, tmp_path) == 0
    assert sorted(computed) == sorted((cell.split("/")[0], int(cell.rsplit("-", 1)[1])) for cell in victims)
    assert digests(sweep_dir) == reference[1]


@pytest.mark.long
def test_a_second_sweep_in_the_same_folder_is_refused_and_nothing_is_lost(reference, tmp_path, monkeypatch, capsys):
    """Two sweeps in one folder overwrote each other's plan, dropped each other's cells and computed
    everything twice. The second is refused, naming the first; the first finishes complete, every cell computed
    once, by itself."""
    sweep_dir = tmp_path / "sweeps" / "smoke"
    first = start(BASIC, tmp_path, tmp_path / "first.log")
    try:
        wait_until(lambda: (sweep_dir / "plan.json").exists() and (sweep_dir / "sweep.lock").exists(), "the first sweep's plan")
        plan = (sweep_dir / "plan.json").read_bytes()
        assert run_in_process(args_of(BASIC) + SIX_CELLS, monkeypatch, tmp_path) == 2
        message = capsys.readouterr().err
        assert f"is in use by another sweep (pid {first.pid}" in message and "Traceback" not in message, message
        assert (sweep_dir / "plan.json").read_bytes() == plan
    finally:
        assert first.wait(timeout=600) == 0, (tmp_path / "first.log").read_text()[-3000:]
    cells = manifests(sweep_dir)
    assert len(cells) == CELLS and {m["pid"] for m in cells.values()} == {first.pid}
    meta = json.loads((sweep_dir / "sweep.json").read_text())
    assert meta["failed"] == [] and not (sweep_dir / "sweep.lock").exists()
    assert digests(sweep_dir) == reference[1]


def test_tables_that_cannot_be_built_give_one_line_and_exit_1(reference, tmp_path, monkeypatch, capsys):
    """An aggregation that fails (here: the disk refuses the tables) was a Hydra warning with exit 0 and the
    previous run's tables left in place; now one line says why, the exit code is 1, and no stale table remains."""
    import experiments.aggregate as aggregate

    sweep_dir = tmp_path / "sweeps" / "smoke"
    shutil.copytree(reference[0], sweep_dir)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(aggregate, "write_tables", full_disk)
    assert run_in_process(args_of(BASIC) + SIX_CELLS, monkeypatch, tmp_path) == 1
    err = capsys.readouterr().err
    assert "error: the tables of" in err and "No space left on device" in err and "Traceback" not in err, err
    assert not any((sweep_dir / name).exists() for name in (*TABLES, "sweep.json"))

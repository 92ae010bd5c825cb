"""The progress line a sweep's jobs print (experiments/progress.py), from files alone."""

from __future__ import annotations

import json
import os

from experiments.progress import progress_line


def _cell(sweep_dir, name, file, mtime):
    folder = sweep_dir / "cells" / name
    folder.mkdir(parents=True)
    (folder / file).write_text("{}")
    os.utime(folder / file, (mtime, mtime))


def test_progress_counts_planned_cells_and_estimates_from_this_runs_pace(tmp_path):
    started = 1_000_000.0
    jobs = [{"cell": f"baseline/h-r{k}-{k}"} for k in range(6)]
    (tmp_path / "plan.json").write_text(json.dumps({"written": started, "jobs": jobs}))
    _cell(tmp_path, "baseline/h-r0-0", "manifest.json", started - 500)   # done in an earlier run
    _cell(tmp_path, "baseline/h-r1-1", "manifest.json", started + 30)    # done in this run
    _cell(tmp_path, "baseline/h-r2-2", "manifest.json", started + 60)
    _cell(tmp_path, "baseline/h-r3-3", "error.json", started + 70)       # failed
    _cell(tmp_path, "other/x-r0-0", "manifest.json", started + 10)       # not planned: not counted
    # 2 cells computed in 120 s of this run: 60 s a cell, 2 cells left -> 2m00s
    assert progress_line(tmp_path, now=started + 120) == (
        "progress: 3/6 cells done (2 in this run, 1 failed), 2m00s elapsed, about 2m00s left")


def test_no_plan_no_progress_line(tmp_path):
    # Optuna's sweeper writes no plan: the trials are not known in advance
    assert progress_line(tmp_path, now=0.0) is None

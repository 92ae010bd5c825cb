"""Progress of a running sweep, printed by every job when its cell is done (jobs run in parallel, so each
counts the cells on disk rather than keeping a counter).

    progress: 12/30 cells done (10 in this run, 1 failed), 2m05s elapsed, about 3m10s left

Only files are read: the plan (``plan.json``, written before the first job starts, so its time is when this
run began) and which planned cells have a manifest or an error; a manifest written after the plan counts as
computed in this run and sets the pace for the estimate.
"""

from __future__ import annotations

import json
from pathlib import Path

from .cell_files import CELLS, ERROR, MANIFEST, PLAN


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def progress_line(sweep_dir: Path, now: float) -> str | None:
    """One line on how far the sweep is, or None without a plan (e.g. under the Optuna sweeper)."""
    try:
        plan = json.loads((Path(sweep_dir) / PLAN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    started = float(plan["written"])
    done = this_run = failed = 0
    for job in plan["jobs"]:
        folder = Path(sweep_dir) / CELLS / job["cell"]
        try:
            written = (folder / MANIFEST).stat().st_mtime
        except OSError:
            failed += (folder / ERROR).exists()
            continue
        done += 1
        this_run += written >= started
    planned = len(plan["jobs"])
    elapsed = max(now - started, 0.0)
    line = (f"progress: {done}/{planned} cells done ({this_run} in this run, {failed} failed), "
            f"{_duration(elapsed)} elapsed")
    left = planned - done - failed
    if this_run and left:
        line += f", about {_duration(elapsed / this_run * left)} left"
    return line

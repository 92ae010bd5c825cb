"""Gather a sweep's cells into the tidy tables (kpis.parquet, timeseries.parquet, sweep.json).

Runs at the end of every multirun (the Hydra callback :class:`AggregateOnMultirunEnd`, configured in
``configs/sweep.yaml``) and by hand with ``python -m experiments.sweep --aggregate SWEEP_DIR``.

The block sweeper writes ``plan.json`` (every job's overrides and cell) before it launches anything; the
tables then hold exactly the planned cells, and a planned cell without results is reported as failed
(with its error when it raised, as "did not finish" when its job died). Without a plan (another sweeper,
e.g. Optuna) every cell in the folder is taken.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from . import sweep_lock
from .cell_files import CELL_KPIS, CELL_SERIES, CELLS, ERROR, MANIFEST, PLAN  # noqa: F401 (CELLS: sweep.py reads it here)
from .cells import damaged_file, parameter_overrides, read_manifest
from .tables import KPI_COLUMNS, parameters_label, write_tables

log = logging.getLogger("sweep")

BASELINE = "baseline"


@dataclass
class Aggregate:
    sweep_dir: Path
    kpis: pd.DataFrame
    series: pd.DataFrame | None
    meta: dict[str, Any]
    computed: list[str] = field(default_factory=list)   # cells computed by the latest run of the sweep
    reused: list[str] = field(default_factory=list)     # cells it found complete

    @property
    def failed(self) -> list[dict[str, Any]]:
        return self.meta["failed"]

    def summary(self) -> str:
        m = self.meta
        runs = (f" ({len(self.computed)} computed in the latest run, {len(self.reused)} reused)"
                if self.computed or self.reused else "")
        lines = [f"Sweep {self.sweep_dir}: {len(m['cells'])} cell(s) complete{runs}, "
                 f"{len(m['failed'])} failed; {len(m['scenarios'])} scenario(s), "
                 f"{len(m['parameters'])} parameter set(s), replications {_ranges(m['replications'])}."]
        for f in m["failed"]:
            lines.append(f"  FAILED {f['cell']}: {f['error']}  (overrides: {' '.join(f['overrides'])}"
                         + (f"; details in {f['details']})" if f.get("details") else ")"))
        if m["failed"]:
            lines.append("  Re-run the same command to retry the failed cells; completed cells are not run again.")
        lines.append(f"Tables: {self.sweep_dir / 'kpis.parquet'}, timeseries.parquet, sweep.json")
        return "\n".join(lines)


def _ranges(values: list[int]) -> str:
    if not values:
        return "none"
    out, start, prev = [], values[0], values[0]
    for v in values[1:] + [None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
        if v is not None:
            start = prev = v
    return ",".join(out)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _planned_cells(sweep_dir: Path) -> tuple[list[dict[str, Any]], float | None]:
    plan = _read_json(sweep_dir / PLAN)
    if plan is not None:
        return plan["jobs"], plan.get("written")
    jobs = []
    for folder in sorted((sweep_dir / CELLS).glob("*/*")):
        record = _read_json(folder / MANIFEST) or _read_json(folder / ERROR)
        if record is not None:
            jobs.append({"cell": record["cell"], "overrides": record["overrides"], "scenario": record["scenario"],
                         "replications": record["replications"], "config_hash": record["config_hash"]})
    return jobs, None


def _single(values: list[Any]) -> Any:
    unique = sorted(set(values), key=str)
    return unique[0] if len(unique) == 1 else unique


def aggregate(sweep_dir: Path, write: bool = True, since: float | None = None) -> Aggregate:
    """Build (and by default write) the tables of every planned cell; failed cells go into ``sweep.json``.
    ``since``: when the latest run started (cells computed after it count as computed, the others reused)."""
    sweep_dir = Path(sweep_dir)
    jobs, plan_written = _planned_cells(sweep_dir)
    since = plan_written if since is None else since
    # overrides every cell shares (e.g. population=small) do not tell parameter sets apart
    parameter_sets = [set(parameter_overrides(job["overrides"])) for job in jobs]
    common = set.intersection(*parameter_sets) if parameter_sets else set()

    done, failed, computed, reused = [], [], [], []
    for job, params in zip(jobs, parameter_sets):
        label = parameters_label(params - common)
        folder = sweep_dir / CELLS / job["cell"]
        manifest = read_manifest(folder)
        error = _read_json(folder / ERROR)
        if manifest is not None and manifest.get("config_hash") == job["config_hash"]:
            tables, problem = _cell_tables(folder, manifest, label)
            if tables is not None:
                done.append((job, label, manifest, *tables))
                if since is not None:
                    (computed if manifest["computed_at"] >= since else reused).append(job["cell"])
                continue
            error = None           # the damage, not an older failure, is what to report
        elif error:
            problem = error["error"]
        else:
            problem = "no results: the job did not finish (interrupted or killed)"
        failed.append({
            "cell": job["cell"], "scenario": job["scenario"], "parameters": label,
            "replications": job["replications"], "overrides": job["overrides"], "config_hash": job["config_hash"],
            "error": problem, "details": str(Path(CELLS) / job["cell"] / ERROR) if error else None,
        })

    scenarios = [BASELINE] if any(j["scenario"] == BASELINE for j, *_ in done) else []
    scenarios += [s for s in dict.fromkeys(j["scenario"] for j, *_ in done) if s != BASELINE]
    labels = list(dict.fromkeys(label for _, label, *_ in done))
    rank_scenario = {s: i for i, s in enumerate(scenarios)}
    rank_label = {p: i for i, p in enumerate(labels)}

    kpi_parts = [kpis for *_, kpis, _ in done]
    series_parts = [series for *_, series in done if series is not None]
    kpis = _sorted(pd.concat(kpi_parts, ignore_index=True) if kpi_parts else pd.DataFrame(columns=list(KPI_COLUMNS)),
                   rank_scenario, rank_label)
    series = _sorted(pd.concat(series_parts, ignore_index=True), rank_scenario, rank_label) if series_parts else None

    configs = [manifest["config"] for _, _, manifest, _, _ in done]
    meta = {
        "population": _single([c["population"]["name"] for c in configs]) if configs else None,
        "seed": _single([c["seed"] for c in configs]) if configs else None,
        "replications": sorted({k for _, _, m, _, _ in done for k in m["replications"]}),
        "warmup_days": _single([c["run"]["warmup_days"] for c in configs]) if configs else None,
        "years": _single([c["run"]["years"] for c in configs]) if configs else None,
        "payment": _single([c["payment"]["name"] for c in configs]) if configs else None,
        "scenarios": scenarios,
        "parameters": labels,
        "cells": [{"cell": j["cell"], "scenario": j["scenario"], "parameters": label, "replications": m["replications"],
                   "config_hash": m["config_hash"], "overrides": j["overrides"], "wall_seconds": m["wall_seconds"],
                   "git": m["git"]} for j, label, m, _, _ in done],
        "failed": failed,
        "complete": not failed,
    }
    if write:
        write_tables(sweep_dir, kpis, series, meta)
    return Aggregate(sweep_dir, kpis, series, meta, computed, reused)


def _cell_tables(folder: Path, manifest: dict[str, Any], label: str) -> tuple[tuple | None, str]:
    """((kpis, series or None), "") of a complete cell whose files match its manifest, else (None, why not)."""
    problem = damaged_file(folder, manifest)
    if problem:
        return None, f"damaged cell: {problem}; re-run the sweep to compute it again"
    try:
        kpis = pd.read_parquet(folder / CELL_KPIS)
        series = pd.read_parquet(folder / CELL_SERIES) if CELL_SERIES in manifest["files"] else None
    except Exception as err:  # noqa: BLE001 - an unreadable cell is reported like a failed one, never fatal
        return None, f"unreadable cell: {type(err).__name__}: {err}; re-run the sweep to compute it again"
    kpis["parameters"] = label
    if series is not None:
        series["parameters"] = label
    return (kpis, series), ""


def _sorted(df: pd.DataFrame, rank_scenario: dict[str, int], rank_label: dict[str, int]) -> pd.DataFrame:
    """Rows in a fixed order whatever order the cells finished in (baseline first, then the plan's order);
    within a replication the model's own row order is kept."""
    if df.empty:
        return df.reset_index(drop=True)
    keys = pd.DataFrame({"s": df["scenario"].map(rank_scenario), "p": df["parameters"].map(rank_label),
                         "seed": df["seed"], "k": df["replication"]})
    order = keys.sort_values(["s", "p", "seed", "k"], kind="stable").index
    return df.loc[order].reset_index(drop=True)


# The last aggregation in this process and whether a multirun started; ``python -m experiments.sweep`` turns
# failed cells, and a multirun whose tables could not be built, into exit code 1.
LAST: Aggregate | None = None
STARTED = False


class AggregateOnMultirunEnd(Callback):
    """Hydra callback: aggregate the sweep folder when a multirun ends (also after failed cells). An
    aggregation that fails says so in one line (Hydra would turn the exception into a warning and exit 0)."""

    def __init__(self) -> None:
        self.started: float | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        global STARTED
        STARTED, self.started = True, time.time()
        if "BlockSweeper" not in str(config.hydra.sweeper.get("_target_", "")):
            # another sweeper (Optuna) plans nothing before it launches: take the folder's lock here (the block
            # sweeper takes it after validating every job, so bad input leaves no folder)
            try:
                sweep_lock.hold(Path(config.hydra.sweep.dir))
            except sweep_lock.SweepFolderBusy as err:
                print(f"error: {err}", file=sys.stderr, flush=True)
                raise SystemExit(2) from None   # an exception would only become Hydra's warning

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        global LAST
        sweep_dir = Path(config.hydra.sweep.dir)
        try:
            LAST = aggregate(sweep_dir, since=self.started)
        except Exception as err:  # noqa: BLE001 - reported in one line; the exit code says it failed
            print(f"error: the tables of {sweep_dir} could not be built: {type(err).__name__}: {err}", file=sys.stderr, flush=True)
            return
        print(LAST.summary(), flush=True)

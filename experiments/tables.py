"""The tidy tables of a sweep: one schema, written by the sweep and read by the comparison and report.

A sweep folder holds, once every cell is done:

* ``kpis.parquet`` — one row per scenario × parameter set × replication × patient group × KPI
  (columns :data:`KPI_COLUMNS`);
* ``timeseries.parquet`` — one row per scenario × parameter set × replication × simulated day
  (columns :data:`SERIES_KEYS` followed by the model's daily series, see ``CareModel.datacollector``);
* ``sweep.json`` — what the sweep was: population, seed, replications, warm-up and horizon, the cells
  and which of them failed.

``parameters`` is the cell's parameter overrides other than the scenario, as ``key=value`` joined by
``,`` in sorted order (``""`` for none), so a table can be grouped by (scenario, parameters) and the
paired comparison matches replication k of every cell with the same parameters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from sim.io import write_json, write_parquet

KPI_TABLE = "kpis.parquet"
SERIES_TABLE = "timeseries.parquet"
SWEEP_META = "sweep.json"

KPI_COLUMNS = ("scenario", "parameters", "seed", "replication", "group", "kpi", "value", "unit")
SERIES_KEYS = ("scenario", "parameters", "seed", "replication")


def parameters_label(overrides: Iterable[str]) -> str:
    """``["b=2", "a=1"]`` -> ``"a=1,b=2"``: the canonical label of a cell's non-scenario overrides."""
    return ",".join(sorted(str(o) for o in overrides))


def tidy_kpis(result, cfg, parameters: str = "") -> pd.DataFrame:
    """One replication's KPIs (a :class:`sim.runner.ReplicationResult`) in the sweep schema."""
    df = result.tidy_kpis(cfg)
    df.insert(1, "parameters", parameters)
    return df.loc[:, list(KPI_COLUMNS)]


def tidy_series(result, cfg, parameters: str = "") -> pd.DataFrame:
    """One replication's daily series in the sweep schema (the keys first, then the model's columns)."""
    df = result.timeseries.drop(columns=["replication"], errors="ignore").copy()
    for position, (name, value) in enumerate(zip(SERIES_KEYS, (cfg.scenario.name, parameters, cfg.seed,
                                                               result.replication))):
        df.insert(position, name, value)
    return df


def write_tables(sweep_dir: Path, kpis: pd.DataFrame, series: pd.DataFrame | None, meta: dict[str, Any]) -> None:
    """Write the tables atomically; ``sweep.json`` last, so its presence means the tables are complete."""
    sweep_dir = Path(sweep_dir)
    missing = [c for c in KPI_COLUMNS if c not in kpis.columns]
    if missing:
        raise ValueError(f"KPI table lacks columns {missing}")
    write_parquet(sweep_dir / KPI_TABLE, kpis.loc[:, list(KPI_COLUMNS)].reset_index(drop=True))
    if series is not None:
        write_parquet(sweep_dir / SERIES_TABLE, series.reset_index(drop=True))
    write_json(sweep_dir / SWEEP_META, meta)


def read_tables(sweep_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, Any]]:
    """``(kpis, series or None, meta)`` of a finished sweep; a clear error when the folder is not one."""
    sweep_dir = Path(sweep_dir)
    meta_path = sweep_dir / SWEEP_META
    if not meta_path.exists():
        raise FileNotFoundError(f"{sweep_dir} is not a finished sweep: {SWEEP_META} is missing "
                                "(run the sweep, or re-run it to finish the cells that are left)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    kpis = pd.read_parquet(sweep_dir / KPI_TABLE)
    series_path = sweep_dir / SERIES_TABLE
    series = pd.read_parquet(series_path) if series_path.exists() else None
    return kpis, series, meta

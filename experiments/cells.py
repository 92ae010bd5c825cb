"""One sweep cell: a scenario and parameter set run for one block of replications, written so no work is lost.

A cell lives in ``<sweep>/cells/<scenario>/<config hash>-r<first>-<last>/`` and is identified by the hash of
its resolved model config and its replications, so the same cell has the same folder in every run of the
sweep, whatever the job number or launcher. Inside:

* ``kpis.parquet`` and ``timeseries.parquet`` (the sweep schema of :mod:`experiments.tables`);
* ``manifest.json``, written last (atomically): config hash, config, replications, overrides, git commit,
  package versions, when and where it was computed, and each file's size and SHA-256. A cell whose manifest
  matches its config and whose files match the manifest is complete and is never computed again; a cell
  whose files were truncated or changed afterwards is computed again (and reported, never read);
* ``error.json`` instead, when a replication raised: the overrides, the config and the traceback. The next
  run of the sweep tries the cell again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig

from sim.config import SimConfig, to_sim_config
from sim.hydra_app import apply_command_line
from sim.io import config_dict, config_hash, git_commit, package_versions, write_json, write_parquet
from sim.runner import run_replication
from sim.validated import ValidatedConfig, validate

from .cell_files import CELL_KPIS, CELL_SERIES, CELLS, ERROR, MANIFEST
from .progress import progress_line
from .sweep_config import ObjectiveConfig, SweepConfig, is_parameter, replications_of_block, split_sweep
from .tables import parameters_label, tidy_kpis, tidy_series

log = logging.getLogger("sweep")



@dataclass(frozen=True)
class CellSpec:
    validated: ValidatedConfig      # validated once, when the cell is read; its replications run on it as it is
    replications: tuple[int, ...]
    overrides: tuple[str, ...]
    config_hash: str

    @property
    def cfg(self) -> SimConfig:
        return self.validated.config

    @property
    def cell_id(self) -> str:
        return f"{self.cfg.scenario.name}/{self.config_hash[:16]}-r{self.replications[0]}-{self.replications[-1]}"

    @property
    def parameters(self) -> str:
        """The label of every parameter override (the aggregation drops those all cells share)."""
        return parameters_label(parameter_overrides(self.overrides))

    def folder(self, sweep_dir: Path) -> Path:
        return Path(sweep_dir) / CELLS / self.cell_id


def parameter_overrides(overrides: Sequence[str]) -> list[str]:
    parsed = OverridesParser.create().parse_overrides([str(o) for o in overrides])
    return [str(o.input_line) for o in parsed if is_parameter(o.get_key_element())]


def cell_from_config(raw: DictConfig, task_overrides: Sequence[str], runtime) -> tuple[SweepConfig, CellSpec]:
    """The sweep settings and the cell of one composed job config (``runtime``: Hydra's ``hydra.runtime``
    node of that composition); raises ConfigError on bad input."""
    settings, model_raw = split_sweep(raw)
    overrides = tuple(str(o) for o in task_overrides)
    apply_command_line(model_raw, list(overrides), runtime)
    checked = validate(to_sim_config(model_raw))
    return settings, CellSpec(checked, tuple(replications_of_block(settings)), overrides, config_hash(checked.config))


def file_record(path: Path) -> dict[str, Any]:
    """What the manifest records of a cell file: its size and SHA-256."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def damaged_file(folder: Path, manifest: dict[str, Any]) -> str | None:
    """Why a cell's files do not match its manifest (missing, truncated, changed), or None if they do.
    A manifest without sizes and checksums (written before they were recorded) cannot be trusted either."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return "its manifest records no file sizes and checksums (written by an older version)"
    for name, expected in files.items():
        path = folder / name
        if not path.is_file():
            return f"{name} is missing"
        size = path.stat().st_size
        if size != expected.get("bytes"):
            return f"{name} has {size:,} bytes, its manifest says {expected.get('bytes'):,}"
        if file_record(path)["sha256"] != expected.get("sha256"):
            return f"{name} has changed since it was written (its SHA-256 differs from the manifest's)"
    return None


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def is_complete(folder: Path, spec: CellSpec) -> bool:
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("config_hash") != spec.config_hash \
            or tuple(manifest.get("replications", ())) != spec.replications:
        return False
    problem = damaged_file(folder, manifest)
    if problem:
        log.warning("cell %s: %s; computing it again", spec.cell_id, problem)
    return problem is None


@dataclass
class CellOutcome:
    status: str                     # "computed", "reused" or "failed"
    folder: Path
    kpis: pd.DataFrame | None = None


def run_cell(sweep_dir: Path, spec: CellSpec, replicate: Callable[[ValidatedConfig, int], object] | None = None) -> CellOutcome:
    """Run the cell unless it is complete already; record a failure instead of raising; then say how far
    the whole sweep is (long sweeps show progress). A reused cell changes nothing, so it prints no progress
    line (a re-run of a finished sweep would print the same line once per cell)."""
    outcome = _run_cell(sweep_dir, spec, replicate)
    if outcome.status == "reused":
        return outcome
    line = progress_line(sweep_dir, time.time())
    if line:
        log.info(line)
    return outcome


def _run_cell(sweep_dir: Path, spec: CellSpec, replicate: Callable[[ValidatedConfig, int], object] | None) -> CellOutcome:
    replicate = replicate or run_replication     # looked up at call time, so a test can count or break it
    folder = spec.folder(sweep_dir)
    if is_complete(folder, spec):
        log.info("cell %s: complete already, reused", spec.cell_id)
        return CellOutcome("reused", folder, pd.read_parquet(folder / CELL_KPIS))
    started = time.time()
    try:
        results = []
        for k in spec.replications:
            result = replicate(spec.validated, k)
            log.info("cell %s: replication %d done in %.1f s", spec.cell_id, k, result.wall_seconds)
            results.append(result)
        kpis = pd.concat([tidy_kpis(r, spec.cfg, spec.parameters) for r in results], ignore_index=True)
        (folder / MANIFEST).unlink(missing_ok=True)      # a damaged cell's old manifest must not outlive its files
        for stale in folder.glob(".*.tmp"):              # temporary files of a job killed while writing
            stale.unlink(missing_ok=True)
        write_parquet(folder / CELL_KPIS, kpis)
        names = [CELL_KPIS]
        if spec.cfg.run.timeseries:
            write_parquet(folder / CELL_SERIES,
                          pd.concat([tidy_series(r, spec.cfg, spec.parameters) for r in results], ignore_index=True))
            names.append(CELL_SERIES)
        files = {name: file_record(folder / name) for name in names}
        write_json(folder / MANIFEST, {
            "cell": spec.cell_id, "config_hash": spec.config_hash, "config": config_dict(spec.cfg),
            "scenario": spec.cfg.scenario.name, "seed": spec.cfg.seed, "replications": list(spec.replications),
            "overrides": list(spec.overrides), "parameters": spec.parameters, "files": files,
            "wall_seconds": [round(r.wall_seconds, 3) for r in results],
            "started": started, "computed_at": time.time(), "host": platform.node(), "pid": os.getpid(),
            "versions": package_versions(), "git": git_commit(),
        })
        (folder / ERROR).unlink(missing_ok=True)     # an earlier failure of this cell is resolved
        return CellOutcome("computed", folder, kpis)
    except Exception as err:   # noqa: BLE001 - one failing cell must not stop the others or the aggregation
        log.error("cell %s failed: %s: %s", spec.cell_id, type(err).__name__, err)
        write_json(folder / ERROR, {
            "cell": spec.cell_id, "config_hash": spec.config_hash, "scenario": spec.cfg.scenario.name,
            "replications": list(spec.replications), "overrides": list(spec.overrides),
            "error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc(),
            "config": config_dict(spec.cfg), "failed_at": time.time(), "host": platform.node(), "pid": os.getpid(),
        })
        return CellOutcome("failed", folder)


def objective_value(kpis: pd.DataFrame | None, objective: ObjectiveConfig) -> float:
    """Mean of the objective KPI (all patients) over the replications, plus the constraint's penalty."""
    if kpis is None:
        return float("nan")
    overall = kpis[kpis.group == "all"]

    def mean(name: str) -> float:
        return float(overall.loc[overall.kpi == name, "value"].astype(float).mean())

    value = mean(objective.kpi)
    if objective.constraint_kpi:
        value += objective.penalty_per_unit * max(0.0, mean(objective.constraint_kpi) - objective.constraint_max)
    return value

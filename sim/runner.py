"""The one public run API: the CLI, sweeps, validation, sensitivity, the dilemma experiment, the teaching
page and the benchmark all run the model through these functions.

* ``run_replication(cfg, k)``: replication ``k`` of one scenario, as plain data (KPIs, daily series, event log).
* ``run_paired(cfgs, replications)``: the same replications of several scenarios, paired by replication.
* ``run_model(cfg, k)``: the finished model itself, for analyses that read its fact tables.
* ``build_model(cfg, k)``: a model ready to be advanced a day at a time (the teaching page).
* ``write_run(out_dir, cfg, results)``: the run folder of finished replications (KPIs, series, event log,
  config and, last, the manifest); here and not in ``sim.io``, which is below the outcomes it needs.

Each function takes a plain :class:`~sim.config.SimConfig`, validated on entry (once per config, however many
replications), or a :class:`~sim.validated.ValidatedConfig` (``sim.validated.validate``), which is not
validated again.

A replication's random streams are keyed by ``(seed, k)``, the same in every scenario (common random
numbers), so replication k of two scenarios differs only by the scenario. Models are never pickled or
shipped between processes: parameters go in, tables (or, within one process, the model) come out.
"""

from __future__ import annotations

import gc
import time as wallclock
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pandas as pd
from omegaconf import OmegaConf

from . import outcomes
from .config import SimConfig
from .engine import processed_events
from .io import config_dict, config_hash, git_commit, package_versions, write_json, write_parquet, write_text
from .model import CareModel
from .validated import ValidatedConfig, config_of, validate


@dataclass
class ReplicationResult:
    replication: int
    kpis: pd.DataFrame          # group, kpi, value, unit
    timeseries: pd.DataFrame    # one row per simulated day
    event_log: pd.DataFrame | None
    wall_seconds: float
    simpy_events: int

    def tidy_kpis(self, cfg: SimConfig | ValidatedConfig) -> pd.DataFrame:
        cfg = config_of(cfg)
        df = self.kpis.copy()
        df.insert(0, "replication", self.replication)
        df.insert(0, "seed", cfg.seed)
        df.insert(0, "scenario", cfg.scenario.name)
        return df


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for one replication, then collect once.

    A replication builds tens of thousands of long-lived objects (agents, their streams and agendas,
    pending SimPy events, fact rows). Every full collection re-scans all of them, so with the collector
    on, collections took about a third of a Randers replication's CPU time and grew faster than the
    population (measured: docs/performance.md). Reference counting still frees everything that is not
    in a cycle, and peak memory was the same with the collector paused. Results do not depend on it:
    no decision reads garbage-collector state. The previous state is restored afterwards, and one
    collection then frees the model's reference cycles, so a worker running many replications does not
    accumulate them. Objects that existed before the replication are frozen meanwhile (``gc.freeze``), so
    that collection does not re-scan the interpreter's own modules.
    """
    was_enabled = gc.isenabled()
    # what existed before (modules, the config) is not garbage: the final collection skips it; a caller
    # that froze objects itself keeps them frozen (we only freeze, and unfreeze, when nothing was)
    freeze = gc.get_freeze_count() == 0
    gc.disable()
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        if freeze:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def build_model(cfg: SimConfig | ValidatedConfig, replication: int = 0) -> CareModel:
    """Replication ``replication`` of ``cfg``, built and ready to be advanced one day per ``model.step()``
    (warm-up first, then the results window, which opens by itself at the end of the warm-up and here at
    once when there is none). For a caller that watches the run as it goes; others use ``run_model``."""
    model = CareModel(cfg, replication)
    if model.warmup_days == 0:
        model.start_results()  # what CareModel.run does first when there is no warm-up
    return model


def run_model(cfg: SimConfig | ValidatedConfig, replication: int = 0,
              progress: Callable[[str], None] | None = None) -> CareModel:
    """Run replication ``replication`` of ``cfg`` and return the finished model: for analyses that need its
    fact tables (``model.recorder``) or per-person results beyond the KPIs; it stays in memory, so keep
    only what you need. Draws exactly what ``run_replication`` draws."""
    with cyclic_gc_paused():
        return CareModel(cfg, replication).run(progress)


def run_replication(cfg: SimConfig | ValidatedConfig, replication: int = 0,
                    progress: Callable[[str], None] | None = None) -> ReplicationResult:
    """Run replication ``replication`` of ``cfg``; its KPIs, daily series and event log as plain data."""
    with cyclic_gc_paused():
        return _tables_of_run(cfg, replication, progress)


def _tables_of_run(cfg: SimConfig | ValidatedConfig, replication: int, progress: Callable[[str], None] | None) -> ReplicationResult:
    started = wallclock.perf_counter()
    model = CareModel(cfg, replication)
    model.run(progress)
    simpy_events = processed_events(model.env)  # exact, and free: no wrapper around every step
    kpis = outcomes.compute(model)
    series = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    series.insert(0, "replication", replication)
    log = model.recorder.event_log() if model.cfg.run.event_log else None
    # the fact rows (about a million tuples for Randers) are freed here by reference counting, so the
    # collection that frees the model's cycles does not have to walk them
    model.recorder.release()
    return ReplicationResult(replication, kpis, series, log, wallclock.perf_counter() - started,
                             simpy_events)


def run_replications(cfg: SimConfig | ValidatedConfig, replications: Iterable[int] | None = None,
                     progress: Callable[[str], None] | None = None) -> list[ReplicationResult]:
    """Replications ``replications`` (default ``range(cfg.run.replications)``) of one config, validated once."""
    checked = validate(cfg)
    reps = range(checked.config.run.replications) if replications is None else replications
    return [run_replication(checked, k, progress) for k in reps]


def run_paired(cfgs: Sequence[SimConfig | ValidatedConfig], replications: Iterable[int] | None = None,
               progress: Callable[[str], None] | None = None) -> list[list[ReplicationResult]]:
    """The same replications of every config (common random numbers: replication k of each shares its
    streams), one list per config in the order given, replications in the order given (default
    ``range(cfg.run.replications)`` of the first). Configs must share the seed, or the pairing is lost.
    Scenario by scenario, so a scenario's results are complete before the next one starts; every config is
    validated (once) before the first runs, so a bad one fails at once."""
    cfgs = list(cfgs)
    seeds = {config_of(cfg).seed for cfg in cfgs}
    if len(seeds) > 1:
        raise ValueError(f"paired runs need one seed for all configs (common random numbers), got {sorted(seeds)}")
    checked = [validate(cfg) for cfg in cfgs]
    if not checked:
        return []
    reps = list(range(checked[0].config.run.replications)) if replications is None else list(replications)
    return [run_replications(cfg, reps, progress) for cfg in checked]


def write_run(out_dir: Path, cfg: SimConfig, results: Sequence[ReplicationResult],
              extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write KPIs (JSON + Parquet), time series, event log and, last, the manifest: a run folder (a folder
    with a manifest is complete, see ``sim.io``)."""
    out_dir = Path(out_dir)
    kpis = pd.concat([r.tidy_kpis(cfg) for r in results], ignore_index=True)
    write_parquet(out_dir / "kpis.parquet", kpis)
    write_json(out_dir / "kpis.json", {
        "scenario": cfg.scenario.name, "seed": cfg.seed,
        "replications": {str(r.replication): outcomes.as_nested(r.kpis) for r in results},
    })
    files = ["kpis.parquet", "kpis.json"]
    if cfg.run.timeseries:
        write_parquet(out_dir / "timeseries.parquet", pd.concat([r.timeseries for r in results], ignore_index=True))
        files.append("timeseries.parquet")
    logs = [r.event_log for r in results if r.event_log is not None]
    if logs:
        write_parquet(out_dir / "events.parquet", pd.concat(logs, ignore_index=True))
        files.append("events.parquet")
    write_text(out_dir / "config.yaml", OmegaConf.to_yaml(OmegaConf.structured(cfg)))
    files.append("config.yaml")
    manifest = {
        "config_hash": config_hash(cfg),
        "config": config_dict(cfg),
        "scenario": cfg.scenario.name,
        "seed": cfg.seed,
        "replications": [r.replication for r in results],
        "wall_seconds": [round(r.wall_seconds, 3) for r in results],
        "files": files,
        "versions": package_versions(),
        "git": git_commit(),
        **(extra or {}),
    }
    write_json(out_dir / "manifest.json", manifest)
    return manifest

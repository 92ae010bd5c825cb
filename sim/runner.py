"""Run replications: the one function the CLI, launchers, benchmarks and tests all use.

``run_replication(cfg, k)`` builds a fresh model for replication ``k`` (its random streams are keyed by
``(seed, k)``, the same in every scenario: common random numbers), runs it and returns plain data.
Models are never pickled or shipped between processes: parameters go in, tables come out.
"""

from __future__ import annotations

import gc
import time as wallclock
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable

import pandas as pd

from . import outcomes
from .config import SimConfig, validate
from .engine import processed_events
from .model import CareModel


@dataclass
class ReplicationResult:
    replication: int
    kpis: pd.DataFrame          # group, kpi, value, unit
    timeseries: pd.DataFrame    # one row per simulated day
    event_log: pd.DataFrame | None
    wall_seconds: float
    simpy_events: int

    def tidy_kpis(self, cfg: SimConfig) -> pd.DataFrame:
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


def run_replication(cfg: SimConfig, replication: int = 0,
                    progress: Callable[[str], None] | None = None) -> ReplicationResult:
    with cyclic_gc_paused():
        return _run_replication(cfg, replication, progress)


def _run_replication(cfg: SimConfig, replication: int, progress: Callable[[str], None] | None) -> ReplicationResult:
    started = wallclock.perf_counter()
    model = CareModel(cfg, replication)
    model.run(progress)
    simpy_events = processed_events(model.env)  # exact, and free: no wrapper around every step
    kpis = outcomes.compute(model)
    series = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    series.insert(0, "replication", replication)
    log = model.recorder.event_log() if cfg.run.event_log else None
    # the fact rows (about a million tuples for Randers) are freed here by reference counting, so the
    # collection that frees the model's cycles does not have to walk them
    model.recorder.release()
    return ReplicationResult(replication, kpis, series, log, wallclock.perf_counter() - started,
                             simpy_events)


def run_replications(cfg: SimConfig, replications: Iterable[int] | None = None,
                     progress: Callable[[str], None] | None = None) -> list[ReplicationResult]:
    validate(cfg)
    reps = range(cfg.run.replications) if replications is None else replications
    return [run_replication(cfg, k, progress) for k in reps]

"""Run replications: the one function the CLI, launchers, benchmarks and tests all use.

``run_replication(cfg, k)`` builds a fresh model for replication ``k`` (its random streams are keyed by
``(seed, k)``, the same in every scenario: common random numbers), runs it and returns plain data.
Models are never pickled or shipped between processes: parameters go in, tables come out.
"""

from __future__ import annotations

import time as wallclock
from dataclasses import dataclass
from typing import Callable, Iterable

import pandas as pd

from . import outcomes
from .config import SimConfig, validate
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


class _CountingEnvironment:
    """Counts SimPy events processed by wrapping ``env.step`` (used for the events/s figure)."""

    def __init__(self, env):
        self.count = 0
        original = env.step

        def step():
            self.count += 1
            original()

        env.step = step


def run_replication(cfg: SimConfig, replication: int = 0, progress: Callable[[str], None] | None = None,
                    count_events: bool = False) -> ReplicationResult:
    started = wallclock.perf_counter()
    model = CareModel(cfg, replication)
    counter = _CountingEnvironment(model.env) if count_events else None
    model.run(progress)
    kpis = outcomes.compute(model)
    series = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    series.insert(0, "replication", replication)
    log = model.recorder.event_log() if cfg.run.event_log else None
    return ReplicationResult(replication, kpis, series, log, wallclock.perf_counter() - started,
                             counter.count if counter else -1)


def run_replications(cfg: SimConfig, replications: Iterable[int] | None = None,
                     progress: Callable[[str], None] | None = None) -> list[ReplicationResult]:
    validate(cfg)
    reps = range(cfg.run.replications) if replications is None else replications
    return [run_replication(cfg, k, progress) for k in reps]

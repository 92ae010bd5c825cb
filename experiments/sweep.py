"""``python -m experiments.sweep -m ...``: scenarios x parameters x replications as a Hydra multirun.

    python -m experiments.sweep -m scenario=baseline,act_team,health_coach population=small run.years=2 \\
        sweep.replications=20 sweep.block=5                # 3 scenarios x 4 blocks = 12 jobs on all cores
    python -m experiments.sweep -m +experiment=default_comparison     # baseline and every built-in scenario
    python -m experiments.sweep -m +experiment=smoke hydra.sweep.dir=sweeps/try    # choose the folder
    python -m experiments.sweep --aggregate sweeps/smoke               # rebuild the tables of a folder

Each job runs one cell: a scenario and parameter set for one block of replications (replication k of every
cell uses the streams of k: common random numbers). Cells are written atomically with a manifest and are
never computed twice: re-running the same command in the same folder finishes what is missing. A cell that
raises is recorded with its config and traceback; the others go on, the tables are built from the cells
that finished, and the exit code is 1. Launchers: joblib (default, all cores), ``hydra/launcher=basic``
(one process), ``ray`` / ``ray_cluster``, ``submitit_local`` / ``slurm`` (see README, "Sweeps").
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.config import schema_node
from sim.hydra_app import CONFIG_DIR, discard_run_folder, register

from . import aggregate as aggregation
from . import sweep_lock
from .cells import cell_from_config, objective_value, run_cell
from .launcher_watch import launcher_environment, watch_launcher
from .ray_local import ray_environment
from .sweep_config import SweepAppConfig

log = logging.getLogger("sweep")


def register_sweep() -> None:
    register()
    ConfigStore.instance().store(name="sweep_schema", node=schema_node(SweepAppConfig))  # editable: the schema is frozen


register_sweep()


MULTIRUN_NEEDED = "error: the sweep runs as a multirun: add -m (e.g. python -m experiments.sweep -m +experiment=smoke)"
# Hydra's options that only print something (they run no job, so they need no -m)
INFO_OPTIONS = ("--help", "-h", "--hydra-help", "--version", "--cfg", "-c", "--info", "-i", "--shell-completion", "-sc")


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="sweep")
def sweep_job(raw: DictConfig) -> float | str:
    hydra_cfg = HydraConfig.get()
    if hydra_cfg.mode != RunMode.MULTIRUN:   # hydra.mode=RUN: Hydra made a run folder; leave nothing behind
        discard_run_folder()
        print(MULTIRUN_NEEDED, file=sys.stderr)
        sys.exit(2)
    watch_launcher()
    settings, spec = cell_from_config(raw, hydra_cfg.overrides.task, hydra_cfg.runtime)   # validated by the sweeper already
    sweep_dir = Path(hydra_cfg.sweep.dir)
    if not sweep_dir.is_absolute():
        sweep_dir = Path(hydra_cfg.runtime.cwd) / sweep_dir
    outcome = run_cell(sweep_dir, spec)
    if settings.objective.kpi:
        return objective_value(outcome.kpis, settings.objective)
    return outcome.status


def _multirun(argv: list[str]) -> bool:
    return any(a in ("-m", "--multirun") or a.replace(" ", "") == "hydra.mode=MULTIRUN" for a in argv)


def aggregate_folder(folder: Path) -> int:
    """``--aggregate SWEEP_DIR``: rebuild the tables under the folder's lock; the exit code."""
    if not (folder / aggregation.CELLS).is_dir():
        print(f"error: {folder} is not a sweep folder (it has no {aggregation.CELLS}/)", file=sys.stderr)
        return 2
    try:
        sweep_lock.hold(folder)
        result = aggregation.aggregate(folder)
    except sweep_lock.SweepFolderBusy as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - one line, not a traceback
        print(f"error: the tables of {folder} could not be built: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    finally:
        sweep_lock.release_held()
    print(result.summary())
    return 1 if result.failed else 0


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (1 when a cell failed or the tables could not be built)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--aggregate":
        if len(argv) != 2:
            print("usage: python -m experiments.sweep --aggregate SWEEP_DIR", file=sys.stderr)
            return 2
        return aggregate_folder(Path(argv[1]))
    if not _multirun(argv) and not any(a.split("=")[0] in INFO_OPTIONS for a in argv):
        print(MULTIRUN_NEEDED, file=sys.stderr)   # before Hydra, which would make outputs/<date>/<time>/
        return 2
    aggregation.LAST, aggregation.STARTED = None, False
    # workers started from here stop when this process ends; a local Ray instance listens on 127.0.0.1 only
    environment = {**launcher_environment(), **ray_environment(argv)}
    saved, saved_env = sys.argv, {k: os.environ.get(k) for k in environment}
    sys.argv = [saved[0], *argv]
    os.environ.update(environment)
    try:
        sweep_job()      # bad input exits with code 2 from the sweeper, before any job runs
    finally:
        sys.argv = saved
        sweep_lock.release_held()
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if aggregation.STARTED and aggregation.LAST is None:
        return 1          # the multirun ran but its tables could not be built (said on stderr)
    return 1 if aggregation.LAST is not None and aggregation.LAST.failed else 0


if __name__ == "__main__":
    # run the copy imported as experiments.sweep, not this __main__ module: joblib, Ray and submitit send the
    # task function to other processes by reference, which must name an importable module
    from experiments.sweep import main as sweep_main

    sys.exit(sweep_main())

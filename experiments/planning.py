"""Planning a sweep before anything runs: blocks of replications, validation of every job, ``plan.json``.

Used by the block sweeper (``hydra_plugins/chronic_care_sweeper``). It adds the sweep over blocks
(``sweep.first=0,5,10,...`` from ``sweep.replications`` and ``sweep.block``) to the user's sweep, composes
and validates every job's config (a bad value in any job fails the sweep before a job starts, and writes
nothing), and writes the plan the aggregation uses: each job's overrides and cell.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

from sim.config import ConfigError
from sim.input_files import InputFileError
from sim.io import write_json

from . import sweep_lock
from .cell_files import PLAN
from .cells import cell_from_config, parameter_overrides
from .tables import KPI_TABLE, SERIES_TABLE, SWEEP_META
from .sweep_config import SweepConfig, block_starts, split_sweep


def _sweep_settings(config) -> SweepConfig:
    settings, _ = split_sweep(OmegaConf.masked_copy(config, ["sweep"]))
    return settings


def plan_jobs(sweeper: Any, arguments: list[str]) -> list[str]:
    """The arguments for the basic sweeper (the user's plus the block sweep), once every job is valid."""
    parser = OverridesParser.create(config_loader=sweeper.hydra_context.config_loader)
    user = parser.parse_overrides(sweeper._parse_config() + list(arguments))
    problems = []
    for o in user:
        key = o.get_key_element().lstrip("+~")
        if key == "sweep.first":
            problems.append("sweep.first is set by the sweeper for each job (from sweep.replications and sweep.block); "
                            "do not set it")
        elif key.startswith("sweep.") and o.is_sweep_override():
            problems.append(f"{key} cannot be swept (one value per sweep): got {o.input_line}")
    if problems:
        raise ConfigError(problems)
    settings = _sweep_settings(sweeper.config)
    blocks = f"sweep.first={','.join(str(s) for s in block_starts(settings))}"
    expanded = list(arguments) + [blocks]
    jobs = sweeper.split_arguments(parser.parse_overrides(sweeper._parse_config() + expanded), None)[0]

    planned, problems = [], []
    started = time.perf_counter()
    for job in jobs:
        try:
            job_config = sweeper.hydra_context.config_loader.load_sweep_config(sweeper.config, list(job))
            _, spec = cell_from_config(job_config, job, job_config.hydra.runtime)
        except InputFileError as err:      # a bad file is named once, however many jobs load it
            problems += [p for p in err.problems if p not in problems]
            continue
        except ConfigError as err:
            problems += [f"job {' '.join(job)}: {p}" for p in err.problems]
            continue
        planned.append({"cell": spec.cell_id, "overrides": list(job), "scenario": spec.cfg.scenario.name,
                        "replications": list(spec.replications), "config_hash": spec.config_hash})
    if problems:
        raise ConfigError(problems)
    problems = duplicate_labels(planned)
    if problems:
        raise ConfigError(problems)
    sweep_dir = Path(sweeper.config.hydra.sweep.dir)
    sweep_lock.hold(sweep_dir)        # SweepFolderBusy when another sweep holds the folder: nothing written
    for name in (SWEEP_META, KPI_TABLE, SERIES_TABLE):   # an earlier run's tables must not outlive this run's failure
        (sweep_dir / name).unlink(missing_ok=True)
    write_json(sweep_dir / PLAN, {"written": time.time(), "jobs": planned,
                                  "validated_seconds": round(time.perf_counter() - started, 2)})
    return expanded


def duplicate_labels(planned: list[dict]) -> list[str]:
    """Two different configurations under one scenario label and parameter set (``scenario=a,b
    scenario.name=x``) would be mixed in the tables: refuse them."""
    seen: dict[tuple, dict] = {}
    problems = []
    for job in planned:
        key = (job["scenario"], tuple(sorted(parameter_overrides(job["overrides"]))), tuple(job["replications"]))
        other = seen.setdefault(key, job)
        if other["config_hash"] != job["config_hash"]:
            problems.append(f"jobs {' '.join(other['overrides'])} and {' '.join(job['overrides'])} are different "
                            f"scenarios with one label {job['scenario']!r}: give each its own scenario.name")
    return problems

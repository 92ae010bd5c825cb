"""The sweep's own settings (the ``sweep`` node of ``configs/sweep.yaml``) and their validation.

The sweep app composes the model's schema (:class:`sim.config.SimConfig`) plus one ``sweep`` node, typed by
:class:`SweepConfig` below; the ``sweep`` node is taken off before the rest becomes a ``SimConfig``, so the
model never sees it and a cell's config hash depends only on the model's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omegaconf import DictConfig, OmegaConf, open_dict

from sim.config import ConfigError, SimConfig, param
from sim.input_files import FILE_NAME
from sim.outcomes import kpi_by_name

# Overrides that do not define a parameter set: the table has its own columns for scenario and seed, and the
# others choose how the sweep runs, not what the model is.
NOT_PARAMETER_KEYS = ("scenario", "scenario.name", "seed", "experiment")
NOT_PARAMETER_PREFIXES = ("sweep", "hydra")


@dataclass
class ObjectiveConfig:
    """What an optimising sweeper (Optuna) minimises: the mean of one KPI over the cell's replications, plus a
    penalty when the mean of another KPI exceeds a target (a soft constraint)."""

    kpi: str = param("", unit="KPI name ('' = no objective)", source="assumption: sweeps need no objective unless an optimising sweeper runs",
                     doc="KPI to minimise (patients overall), e.g. cost_per_patient_year_dkk")
    constraint_kpi: str = param("", unit="KPI name ('' = unconstrained)", source="assumption: optional")
    constraint_max: float = param(0.0, unit="unit of constraint_kpi", lo=-1e18, hi=1e18, source="assumption: set by the experiment")
    penalty_per_unit: float = param(0.0, unit="objective units per unit of constraint excess", lo=0.0, hi=1e18,
                                    source="assumption: set by the experiment so any excess outweighs plausible savings")


@dataclass
class SweepConfig:
    name: str = param("sweep", unit="folder name", source="assumption: a stable folder, so re-running a sweep resumes it",
                      doc="the sweep folder is sweeps/<name> unless hydra.sweep.dir says otherwise")
    replications: int = param(10, unit="replications per scenario and parameter set", lo=1, hi=100000,
                              source="assumption: set per experiment (configs/experiment/)",
                              doc="replications 0..n-1; replication k of every cell uses the same streams (common random numbers)")
    block: int = param(5, unit="replications per job", lo=1, hi=100000,
                       source="stack-notes.md §3.3 (about 0.24 s of Hydra overhead per job: batch replications inside a job)",
                       doc="each Hydra job runs one block of consecutive replications of one cell")
    first: int = param(0, unit="replication", lo=0, hi=100000,
                       source="assumption: set by the block sweeper for each job; not for users",
                       doc="first replication of this job's block")
    objective: ObjectiveConfig = field(default_factory=ObjectiveConfig)


@dataclass(frozen=True)  # frozen, as the SimConfig it extends
class SweepAppConfig(SimConfig):
    """The sweep app's schema: the model's parameters plus the ``sweep`` node."""

    sweep: SweepConfig = field(default_factory=SweepConfig)


def split_sweep(raw: DictConfig) -> tuple[SweepConfig, DictConfig]:
    """``(sweep settings, the model's config without them)``; the settings are validated."""
    plain = {}
    for key in raw.keys():
        if key == "hydra":      # present when the sweeper composes a job; Hydra's own settings
            continue
        node = raw[key]
        plain[key] = OmegaConf.to_container(node, resolve=True) if OmegaConf.is_config(node) else node
    model_raw = OmegaConf.create(plain)
    with open_dict(model_raw):
        sweep_raw = model_raw.pop("sweep", None)
    settings = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(SweepConfig), sweep_raw or {}))
    validate_sweep(settings)
    return settings, model_raw


def validate_sweep(s: SweepConfig) -> None:
    problems = []
    if not FILE_NAME.fullmatch(str(s.name)):   # sweeps/<name> must stay inside sweeps/
        problems.append(f"sweep.name = {s.name!r}: the sweep folder's name; use letters, digits, '_' and '-' (at most "
                        "64 characters); choose a folder elsewhere with hydra.sweep.dir=...")
    if not 1 <= s.replications <= 100000:
        problems.append(f"sweep.replications = {s.replications}: allowed range [1, 100000]")
    if not 1 <= s.block <= max(s.replications, 1):
        problems.append(f"sweep.block = {s.block}: allowed range [1, sweep.replications = {s.replications}] "
                        "(replications per job)")
    elif s.first % s.block or not 0 <= s.first < s.replications:
        problems.append(f"sweep.first = {s.first}: must be a multiple of sweep.block ({s.block}) below "
                        f"sweep.replications ({s.replications}); the block sweeper sets it, do not set it by hand")
    o = s.objective
    for key, name in (("kpi", o.kpi), ("constraint_kpi", o.constraint_kpi)):
        if name and name not in kpi_by_name():
            problems.append(f"sweep.objective.{key} = {name!r}: not a KPI (see docs/outcomes.md)")
    if o.kpi and s.block != s.replications:
        problems.append(f"sweep.objective needs every replication in one job: set sweep.block = sweep.replications "
                        f"({s.replications}), not {s.block}")
    if problems:
        raise ConfigError(problems)


def replications_of_block(s: SweepConfig) -> list[int]:
    return list(range(s.first, min(s.first + s.block, s.replications)))


def block_starts(s: SweepConfig) -> list[int]:
    return list(range(0, s.replications, s.block))


def is_parameter(override_key: str) -> bool:
    """Does an override (its key, e.g. ``+experiment`` or ``scenario.coordinator.caseload_per_staff``) define
    the cell's parameter set?"""
    key = override_key.lstrip("+~")
    if key in NOT_PARAMETER_KEYS:
        return False
    return not any(key == k or key.startswith((k + ".", k + "/")) for k in NOT_PARAMETER_PREFIXES)

"""Hydra glue: the structured schema in the ConfigStore and composing configs without the CLI."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf, open_dict

from .config import ConfigError, SimConfig, schema_node, to_sim_config
from .config.input_checks import bool_problems, override_pairs, safe_name
from .scenario_composition import Selection, compose_scenarios
from .validated import ValidatedConfig, validate

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


# the run folder of a name validation will refuse: it stays inside outputs/ and is removed with the refusal
REFUSED_LABEL = "refused-name"


def scenario_label(name: str, task_overrides) -> str:
    """The scenario's label (the run folder ``outputs/<label>/``): its name, or the names joined with '+' when
    several are combined. A name that could leave outputs/ (``../x``, an absolute path) gives a harmless folder
    name instead; validation then refuses the name."""
    label = name
    parsed = OverridesParser.create().parse_overrides([str(o) for o in (task_overrides or [])])
    if not any(o.key_or_group == "scenario.name" for o in parsed):
        for override in parsed:
            value = override.value()
            if override.key_or_group == "scenario" and isinstance(value, list) and len(value) > 1:
                label = "+".join(str(v) for v in value)
    return label if safe_name(label) else REFUSED_LABEL


def register() -> None:
    ConfigStore.instance().store(name="sim_schema", node=schema_node())  # editable: the schema is frozen
    # used by hydra.run.dir so combined scenarios get their own folder
    OmegaConf.register_new_resolver("scenario_label", scenario_label, replace=True)


def discard_run_folder() -> None:
    """Remove the run folder Hydra created (and the parents it created), so a rejected config leaves nothing."""
    try:
        runtime = HydraConfig.get().runtime
    except ValueError:
        return
    out, start = Path(runtime.output_dir).resolve(), Path(runtime.cwd).resolve()
    for handler in list(logging.getLogger().handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename).resolve().is_relative_to(out):
            handler.close()
            logging.getLogger().removeHandler(handler)
    shutil.rmtree(out, ignore_errors=True)
    parent = out.parent
    # e.g. outputs/<scenario>/ and outputs/, if empty; never the folder the user started in or above it
    while parent != start and parent.is_relative_to(start) and parent.exists() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def apply_command_line(raw: DictConfig, task_overrides, runtime) -> None:
    """What a composed config needs beyond Hydra's merge, before it becomes a SimConfig: flags given as flags
    (``run.event_log=2`` is refused, not read as true) and the combination rules of several scenario files
    (:mod:`sim.scenario_composition`). ``runtime``: Hydra's ``hydra.runtime`` node of the composition."""
    problems = bool_problems(override_pairs(task_overrides))
    if problems:
        raise ConfigError(problems)
    compose_scenarios(raw, Selection.of(task_overrides, runtime))


def compose_config(overrides: list[str] | None = None) -> SimConfig:
    """Compose ``configs/config.yaml`` with command-line style overrides and validate it (raising
    :class:`ConfigError` as the command line would); the plain config, for reading and changing
    (``dataclasses.replace``). A run validates it again on entry; :func:`compose_validated` keeps the
    validation instead."""
    return compose_validated(overrides).config


def compose_validated(overrides: list[str] | None = None) -> ValidatedConfig:
    """Compose ``configs/config.yaml`` with command-line style overrides, validated once: pass the result to
    the run API (``sim.runner``) or ``CareModel`` and it is not validated again."""
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        raw: DictConfig = compose(config_name="config", overrides=list(overrides or []), return_hydra_config=True)
    runtime = raw.hydra.runtime
    with open_dict(raw):
        del raw["hydra"]
    apply_command_line(raw, overrides, runtime)
    return validate(to_sim_config(raw))

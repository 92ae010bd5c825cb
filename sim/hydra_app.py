"""Hydra glue: the structured schema in the ConfigStore and composing configs without the CLI."""

from __future__ import annotations

from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf, open_dict

from .config import SimConfig, to_sim_config, validate

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def scenario_label(name: str, task_overrides) -> str:
    """The scenario's label: its name, or the names joined with '+' when several are combined."""
    parsed = OverridesParser.create().parse_overrides([str(o) for o in (task_overrides or [])])
    if any(o.key_or_group == "scenario.name" for o in parsed):
        return name
    for override in parsed:
        value = override.value()
        if override.key_or_group == "scenario" and isinstance(value, list) and len(value) > 1:
            return "+".join(str(v) for v in value)
    return name


def register() -> None:
    ConfigStore.instance().store(name="sim_schema", node=SimConfig)
    # used by hydra.run.dir so combined scenarios get their own folder
    OmegaConf.register_new_resolver("scenario_label", scenario_label, replace=True)


def combined_scenario_name(task_overrides, raw: DictConfig) -> None:
    """Several scenario files (``scenario=[act_team,health_coach]``) each set ``scenario.name``; the last
    would win. Name the combination after all of them, in the order given (unless scenario.name is set)."""
    if "scenario" in raw:
        label = scenario_label(raw.scenario.name, task_overrides)
        with open_dict(raw):
            raw.scenario.name = label


def compose_config(overrides: list[str] | None = None) -> SimConfig:
    """Compose ``configs/config.yaml`` with command-line style overrides and validate it."""
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        raw: DictConfig = compose(config_name="config", overrides=list(overrides or []), return_hydra_config=True)
    with open_dict(raw):
        del raw["hydra"]
    combined_scenario_name(overrides, raw)
    cfg = to_sim_config(raw)
    validate(cfg)
    return cfg

"""Hydra glue: the structured schema in the ConfigStore and composing configs without the CLI."""

from __future__ import annotations

from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig

from .config import SimConfig, to_sim_config, validate

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def register() -> None:
    ConfigStore.instance().store(name="sim_schema", node=SimConfig)


def compose_config(overrides: list[str] | None = None) -> SimConfig:
    """Compose ``configs/config.yaml`` with command-line style overrides and validate it."""
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        raw: DictConfig = compose(config_name="config", overrides=list(overrides or []))
    cfg = to_sim_config(raw)
    validate(cfg)
    return cfg

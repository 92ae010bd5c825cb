"""From a composed Hydra/OmegaConf config (or dotted overrides) to a typed :class:`SimConfig`.

The schema's dataclasses are frozen (a config cannot change once built), and OmegaConf marks the node it makes
of a frozen dataclass read-only. Composition must still merge config files and overrides onto the schema, so
Hydra and this module start from :func:`schema_node`, the same typed node with the read-only marks taken off;
``OmegaConf.to_object`` then builds the frozen objects.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from .input_checks import bool_problems
from .root import SimConfig
from .validation import ConfigError


def schema_node(schema: type = SimConfig) -> DictConfig:
    """The typed OmegaConf node of a (frozen) schema dataclass, editable so files and overrides can be merged
    onto it: the read-only mark OmegaConf sets for a frozen dataclass is cleared on every container."""
    node = OmegaConf.structured(schema)
    _clear_readonly(node)
    return node


def _clear_readonly(node: DictConfig | ListConfig) -> None:
    OmegaConf.set_readonly(node, None)
    for key in (node.keys() if isinstance(node, DictConfig) else range(len(node))):
        if OmegaConf.is_config(node[key]):
            _clear_readonly(node[key])


def _unknown_keys(node: Any, cls: type, prefix: str = "") -> list[str]:
    """Keys in a composed config that the schema does not have (``+typo=1`` slips past Hydra's struct check)."""
    hints = typing.get_type_hints(cls)
    problems = []
    for key in node.keys():
        if key not in hints:
            valid = ", ".join(sorted(hints))
            problems.append(f"{prefix}{key} is not a parameter; valid keys here: {valid}")
        elif dataclasses.is_dataclass(hints[key]) and hasattr(node[key], "keys"):  # else OmegaConf names the type
            problems += _unknown_keys(node[key], hints[key], f"{prefix}{key}.")
        elif typing.get_origin(hints[key]) is list and dataclasses.is_dataclass(typing.get_args(hints[key])[0]):
            for i, item in enumerate(node[key] or []):  # a list of entries (the capacity calendar)
                if hasattr(item, "keys"):
                    problems += _unknown_keys(item, typing.get_args(hints[key])[0], f"{prefix}{key}[{i}].")
    return problems


def to_sim_config(cfg: DictConfig | SimConfig) -> SimConfig:
    """Turn a composed Hydra/OmegaConf config into a typed :class:`SimConfig` object."""
    if isinstance(cfg, SimConfig):
        return cfg
    problems = _unknown_keys(cfg, SimConfig)
    if problems:
        raise ConfigError(problems)
    merged = OmegaConf.merge(schema_node(), cfg)
    return OmegaConf.to_object(merged)


def overrides_config(overrides: dict[str, Any] | None = None) -> SimConfig:
    """A config from schema defaults plus dotted overrides, typed but not validated (that is
    :func:`sim.validated.from_overrides`, for tests and notebooks). Unknown keys raise, as on the command line:
    ``overrides_config({"costs.bed_dya": 1})`` fails."""
    base = schema_node()
    for key, value in (overrides or {}).items():
        # a mapping sets the keys it names inside a section (merge); a list or anything else replaces the value
        OmegaConf.update(base, key, value, merge=isinstance(value, (dict, list)))  # merging a list replaces it, typing its entries
    problems = bool_problems((overrides or {}).items())
    if problems:
        raise ConfigError(problems)
    return to_sim_config(base)


def section_from(schema: type, data: Any, prefix: str) -> tuple[Any, list[str]]:
    """An instance of the schema dataclass ``schema`` made from plain data (a plug-in's config section), with the
    schema's defaults for missing keys: ``(instance, [])``, or ``(None, problems)`` naming each unknown key or
    value of the wrong type as ``<prefix><key>``. Ranges are :func:`~sim.config.validation.check_section`'s."""
    data = {} if data is None else data
    if not hasattr(data, "keys"):
        return None, [f"{prefix.rstrip('.')} = {data!r}: a config section maps its keys to values"]
    problems = _unknown_keys(data, schema, prefix)
    if problems:
        return None, problems
    try:
        node = OmegaConf.merge(schema_node(schema), data)
    except OmegaConfBaseException as err:
        key = getattr(err, "full_key", None) or ""
        return None, [f"{prefix}{key}: {str(err).splitlines()[0]}"]
    return OmegaConf.to_object(node), []

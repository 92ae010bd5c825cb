"""The config's own checks: the generic checks every :func:`~sim.config.params.param` field gets
(type, range, list length, allowed values), then the rules that combine several values.

These are the first part of validation. The whole of it, with the checks the mechanisms declare (the capacity
calendar, plug-in sections), is :func:`sim.validated.validate`, which returns the config as a
``ValidatedConfig``; this layer imports nothing else of ``sim``, so it cannot run the mechanisms' checks.

:func:`check_section` is public so that a mechanism defined outside ``sim`` can declare its config section
as a dataclass of ``param()`` fields (under ``scenario.plugins.<name>``) and have it checked the same way.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any

from .cross_field import cross_field_problems
from .input_checks import name_problems
from .root import SimConfig


class ConfigError(ValueError):
    """A composed configuration is invalid. ``problems`` lists one message per offending key."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid configuration:\n  - " + "\n  - ".join(problems))


def iter_params(cls: type | None = None, prefix: str = ""):
    """Yield ``(dotted_key, dataclass_field)`` for every leaf parameter of the schema."""
    cls = cls or SimConfig
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(hints[f.name]):
            yield from iter_params(hints[f.name], key + ".")
        else:
            yield key, f


def _get(cfg: Any, dotted: str) -> Any:
    node = cfg
    for part in dotted.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def fmt_range(meta: dict) -> str:
    """'allowed range [lo, hi] (unit)' of a field's metadata, as every range message words it."""
    lo, hi = meta.get("min"), meta.get("max")
    unit = meta.get("unit", "")
    if lo is not None and hi is not None:
        return f"allowed range [{lo:g}, {hi:g}] ({unit})"
    if lo is not None:
        return f"must be >= {lo:g} ({unit})"
    return f"must be <= {hi:g} ({unit})"


def param_problems(key: str, value: Any, meta: dict) -> list[str]:
    """Problems of one parameter's value against its declaration: list length, range, allowed values."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if meta.get("length") is not None and len(values) != meta["length"]:
        return [f"{key} has {len(values)} values; it needs exactly {meta['length']} ({meta['unit']})"]
    problems = []
    lo, hi, choices = meta.get("min"), meta.get("max"), meta.get("choices")
    for i, v in enumerate(values):
        where = f"{key}[{i}]" if len(values) > 1 or isinstance(value, (list, tuple)) else key
        if choices is not None and v not in choices:
            problems.append(f"{where} = {v!r}: allowed values are {', '.join(map(str, choices))}")
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if not math.isfinite(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
            problems.append(f"{where} = {v!r}: {fmt_range(meta)}")
    return problems


def check_section(section: Any, prefix: str = "") -> list[str]:
    """The generic problems of any schema dataclass instance (nested sections included), keys named
    ``<prefix><field>``: what every ``param()`` field gets checked for. Returns [] when all is well."""
    problems = []
    for key, f in iter_params(type(section), prefix):
        problems += param_problems(key, _get(section, key[len(prefix):]), f.metadata)
    return problems


def value_problems(cfg: SimConfig) -> list[str]:
    """The problems of each value on its own: every parameter against its declaration, and the names. The rules
    that combine values (:func:`~sim.config.cross_field.cross_field_problems`, the mechanisms' checks) assume
    every value is in range (inf years cannot be laid out in days), so they run only when this is empty."""
    return check_section(cfg) + name_problems(cfg)


def config_problems(cfg: SimConfig) -> list[str]:
    """Every problem the config package itself finds: the values first, then, if they are all fine, the rules
    that combine them. Returns [] when all is well."""
    return value_problems(cfg) or cross_field_problems(cfg)

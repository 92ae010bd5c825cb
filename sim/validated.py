"""Validation, once: a config that passed every check becomes a :class:`ValidatedConfig`.

:func:`validate` runs the config package's own checks (each value against its declaration, then the rules
that combine values: :func:`sim.config.config_problems`), then every registered mechanism's checks
(``Mechanism.config_problems``: the capacity calendar, the sections of plug-ins), and raises one
:class:`sim.config.ConfigError` listing every problem, one line per key. What passes comes back wrapped in a
:class:`ValidatedConfig`, which keeps what the checks resolved (the capacity calendar's plan) so that the
model builds on it instead of resolving it again.

The model and the run API (``CareModel``, ``sim.runner``) accept a plain :class:`~sim.config.SimConfig`,
validated on entry, or a ``ValidatedConfig``, which is not checked again: a caller that validates early
(the CLI, a sweep cell) passes the validated config on, so each run is validated exactly once.

A ``ValidatedConfig`` is made only here: its constructor refuses to be called, it is not a dataclass (so
``dataclasses.replace`` cannot copy one with a changed value), and its attributes cannot be set. The config
inside is frozen (``sim.config``). To change a value, replace it in the plain config
(``dataclasses.replace(checked.config, seed=1)``) and validate the result.

This module sits above the mechanisms (it asks the registry for their checks) and below the model.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

from .capacity_calendar import CapacityPlan
from .config import ConfigError, SimConfig, cross_field_problems, overrides_config, value_problems
from .mechanisms import registry
from .mechanisms.capacity_moves import CapacityMoves

_MADE_HERE = object()  # only validate() holds it: the key to ValidatedConfig's constructor


class ValidatedConfig:
    """A :class:`~sim.config.SimConfig` that passed every check, with what the checks resolved.

    ``config``: the (frozen) config itself. ``resolved``: by mechanism name, what its check resolved for the
    run to reuse (read-only). ``capacity_plan``: the capacity calendar resolved against the catchment.
    """

    __slots__ = ("config", "resolved")
    config: SimConfig
    resolved: Mapping[str, Any]

    def __init__(self, config: SimConfig, resolved: Mapping[str, Any], key: object = None):
        if key is not _MADE_HERE:
            raise TypeError("a ValidatedConfig is made only by sim.validated.validate(cfg)")
        object.__setattr__(self, "config", config)
        object.__setattr__(self, "resolved", MappingProxyType(dict(resolved)))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a ValidatedConfig cannot be changed (tried to set {name!r}); validate a new config")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a ValidatedConfig cannot be changed (tried to delete {name!r})")

    def __reduce__(self):
        # a pickled copy is validated again where it is loaded: the key does not travel
        return (validate, (self.config,))

    @property
    def capacity_plan(self) -> CapacityPlan:
        return self.resolved[CapacityMoves.name]

    def __repr__(self) -> str:
        return f"ValidatedConfig({self.config!r})"


def validate(cfg: SimConfig | ValidatedConfig) -> ValidatedConfig:
    """``cfg`` validated: every value, the rules that combine them, then every registered mechanism's checks.
    Raises :class:`~sim.config.ConfigError` naming every problem; a ``ValidatedConfig`` is returned as it is."""
    if isinstance(cfg, ValidatedConfig):
        return cfg
    if not isinstance(cfg, SimConfig):
        raise TypeError(f"validate() needs a sim.config.SimConfig, got {type(cfg).__name__}")
    problems = value_problems(cfg)
    if problems:  # the rules below combine values and assume each is in range
        raise ConfigError(problems)
    mechanism_problems, resolved = registry.check_config(cfg)
    problems = cross_field_problems(cfg) + mechanism_problems
    if problems:
        raise ConfigError(problems)
    return ValidatedConfig(cfg, resolved, _MADE_HERE)


def config_of(cfg: SimConfig | ValidatedConfig) -> SimConfig:
    """The plain config of either kind (for reading values; it says nothing about validation)."""
    return cfg.config if isinstance(cfg, ValidatedConfig) else cfg


def from_overrides(overrides: dict[str, Any] | None = None) -> SimConfig:
    """A config from schema defaults plus dotted overrides, validated (for tests and notebooks); raises
    :class:`~sim.config.ConfigError` as the command line does. Unknown keys raise too:
    ``from_overrides({"costs.bed_dya": 1})`` fails. Returns the plain config (a run validates it on entry)."""
    return validate(overrides_config(overrides)).config

"""Declaring a parameter: a dataclass field carrying its unit, source, allowed range and allowed values.

Used by every schema module of this package (and by config sections of mechanisms defined outside ``sim``),
so the validation (:func:`sim.config.validation.check_section`), the generated parameter table and the
provenance test see one kind of field.
"""

from __future__ import annotations

import typing
from dataclasses import FrozenInstanceError, field
from typing import Any


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    lo: float | None = None,
    hi: float | None = None,
    length: int | None = None,
    doc: str = "",
    choices: Any = None,
) -> Any:
    """A config field with unit, source and allowed range ``[lo, hi]`` (applied to each element of a list).

    ``choices``: a ``Literal[...]`` type naming the allowed values of the field (or of each element of a
    list). The schema keeps the field a ``str`` because OmegaConf cannot type a field as ``Literal``; the
    generic validation checks the value against the declared ``Literal`` instead.
    """
    allowed = typing.get_args(choices) if choices is not None else None
    metadata = {"unit": unit, "source": source, "min": lo, "max": hi, "length": length, "doc": doc, "choices": allowed}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def probability(default: Any, *, source: str, unit: str = "probability", doc: str = "", length: int | None = None) -> Any:
    return param(default, unit=unit, source=source, lo=0.0, hi=1.0, doc=doc, length=length)


class AssignedOnce:
    """Immutability for a schema dataclass that is the entry type of a list (the capacity calendar's entries).

    Every other schema dataclass is ``@dataclass(frozen=True)``. OmegaConf marks the node it makes for a frozen
    dataclass read-only, and the entries of a list are made anew while Hydra merges the config files, after the
    schema's own marks were cleared (``sim.config.hydra_conversion.schema_node``); an override of one entry
    (``scenario.capacity_moves.calendar.1.funded_share=0``, a documented command) would then be refused. An entry
    type therefore is a plain dataclass with this base: its generated ``__init__`` sets each field once, and any
    later assignment or deletion raises :class:`dataclasses.FrozenInstanceError`, as for a frozen dataclass.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

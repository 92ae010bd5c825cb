"""Declaring a parameter: a dataclass field carrying its unit, source, allowed range and allowed values.

Used by every schema module of this package (and by config sections of mechanisms defined outside ``sim``),
so the validation (:func:`sim.config.validation.check_section`), the generated parameter table and the
provenance test see one kind of field.
"""

from __future__ import annotations

import typing
from dataclasses import field
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

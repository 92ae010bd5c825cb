"""Declaring a parameter: a dataclass field carrying its unit, source and allowed range as metadata.

Used by every schema module (``sim.config`` and the scenario sections kept in their own modules), so the
validation, the generated parameter table and the provenance test see one kind of field.
"""

from __future__ import annotations

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
) -> Any:
    """A config field with unit, source and allowed range ``[lo, hi]`` (applied to each element of a list)."""
    metadata = {"unit": unit, "source": source, "min": lo, "max": hi, "length": length, "doc": doc}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def probability(default: Any, *, source: str, unit: str = "probability", doc: str = "", length: int | None = None) -> Any:
    return param(default, unit=unit, source=source, lo=0.0, hi=1.0, doc=doc, length=length)

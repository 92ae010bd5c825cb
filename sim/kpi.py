"""Declarations of what a run measures: fact tables, KPIs and cost items (plain data any module can hold).

A mechanism, an agent or the outcome package declares what it records and reports here, next to the code
that produces it; ``sim.facts`` and ``sim.outcomes`` assemble the declarations into the recorder's schema,
the KPI schema (``docs/outcomes.md`` is generated from it) and the cost items. Nothing is listed twice.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

# the scope of a KPI: which groups of the tidy KPI frame it appears in
SCOPES = {"group": "per group", "system": "system", "team": "per team", "move": "per capacity move", "queue": "per queue"}

# a fact-table column's Python type -> its DataFrame dtype (text stays object, as pandas infers it)
_DTYPES = {int: "int64", float: "float64", bool: "bool", str: "object",
           "int": "int64", "float": "float64", "bool": "bool", "str": "object"}


@dataclass(frozen=True)
class FactTable:
    """A fact table: its name and the record type (a ``typing.NamedTuple``) whose fields are its columns.

    Rows are appended as records built with keywords: ``recorder.fact(Entry(person_id=7, time=0.0))``.
    """

    name: str
    record: type

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """``(column, dtype)`` pairs, from the record's field annotations."""
        try:
            # get_type_hints resolves annotations kept as text (a module with ``from __future__ import annotations``)
            return tuple((field, _DTYPES[kind]) for field, kind in typing.get_type_hints(self.record).items())
        except KeyError as missing:
            raise TypeError(f"fact table {self.name!r}: column type {missing} is not one of int, float, bool, str") from None


@dataclass(frozen=True)
class KPI:
    """One KPI: its name, unit, meaning, scope (a key of :data:`SCOPES`) and formula.

    The formula takes the subject of its scope, built by ``sim.outcomes`` at compute time: a patient group's
    measures for ``group``, the results window for ``system``, a team's, a capacity move's or a queue's
    measures for ``team``, ``move`` and ``queue`` (see ``sim.outcomes.subjects``). It returns a float.
    """

    name: str
    unit: str
    description: str
    scope: str
    formula: Callable[[Any], float] | None = None


@dataclass(frozen=True)
class Measure:
    """A named intermediate result over the results window (e.g. per-patient ED visits), computed once on
    first use: ``compute(window)`` returns it, and formulas read it as ``window.<name>``."""

    name: str
    compute: Callable[[Any], Any]


@dataclass(frozen=True)
class CostItem:
    """A unit of activity priced for one payer: ``activity(window)`` gives it per patient (an array by
    person id), priced at ``CostConfig.<unit_cost_key>`` (times ``CostConfig.<price_ratio_key>`` if set);
    the unit cost's own unit and source are those of that config parameter. A mechanism whose unit cost is
    a parameter of its own section (a plug-in's) gives ``price(window)`` instead of a key."""

    name: str
    unit: str
    payer: str
    unit_cost_key: str | None
    activity: Callable[[Any], np.ndarray] | None = None
    price_ratio_key: str | None = None  # a second CostConfig key the unit cost is multiplied by
    price: Callable[[Any], float] | None = None  # DKK per unit, from the results window (instead of a key)

    def __post_init__(self) -> None:
        if (self.unit_cost_key is None) == (self.price is None):
            raise ValueError(f"cost item {self.name!r}: give exactly one of unit_cost_key and price")


def overlap(start, end, t0: float, t1: float):
    """Length of each interval [start, end] inside the window [t0, t1] (0 outside it)."""
    return np.clip(np.minimum(end, t1) - np.maximum(start, t0), 0.0, None)


def ratio(num: float, den: float) -> float:
    """``num / den`` as a float, NaN when the denominator is not positive (a share or mean of nothing)."""
    return float(num / den) if den > 0 else float("nan")

"""Fact tables of the specialisation mechanism (sim/scenarios/specialisation.py)."""

from typing import NamedTuple

from ..kpi import FactTable


class StructuralFix(NamedTuple):
    """An interface type management fixed structurally after coordinators reported it (the slow loop)."""
    time: float
    interface: str


FACT_TABLES: tuple[FactTable, ...] = (FactTable("structural_fixes", StructuralFix),)

"""Fact tables of the capacity calendar and capacity moves."""

from typing import NamedTuple

from ..kpi import FactTable


class ClosureDischarge(NamedTuple):
    """A stay ended early because ward beds closed (capacity calendar)."""
    person_id: int
    ward: str
    time: float
    days_early: float
    ready: bool


class ControlTransfer(NamedTuple):
    """A hospital control handed over to general practice, and how the handover went."""
    person_id: int
    condition: int
    time: float
    outcome: str


FACT_TABLES: tuple[FactTable, ...] = (
    FactTable("closure_discharges", ClosureDischarge),
    FactTable("control_transfers", ControlTransfer),
)

"""Fact tables: one named record type per table, declared next to what produces it.

An agent or mechanism appends a row by constructing the table's record with keywords,
``recorder.fact(Contact(person_id=..., time=..., actor=...))``; the record's fields give the columns and
their dtypes (:class:`sim.kpi.FactTable`). :func:`all_fact_tables` assembles every declared table (the
recorder's schema); the core tables are in :mod:`sim.facts.core`, each mechanism's in its own module.
"""

from __future__ import annotations

from ..kpi import FactTable
from . import acute_alternatives, capacity_moves, controls, core, specialisation, teams


def all_fact_tables() -> tuple[FactTable, ...]:
    """Every fact table of the model: the core tables, then each mechanism's."""
    return (*core.FACT_TABLES, *controls.FACT_TABLES, *teams.FACT_TABLES, *specialisation.FACT_TABLES,
            *capacity_moves.FACT_TABLES, *acute_alternatives.FACT_TABLES)

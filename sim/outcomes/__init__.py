"""Outcomes: KPIs declared once (name, unit, meaning, scope, formula) and computed from a model's records.

Every KPI is a :class:`sim.kpi.KPI` declared next to what produces it: the core KPIs in
:mod:`sim.outcomes.group_kpis` and :mod:`sim.outcomes.system_kpis`, each mechanism's in its own module
(:mod:`~sim.outcomes.acute_alternatives`, :mod:`~sim.outcomes.overload`, :mod:`~sim.outcomes.teams`,
:mod:`~sim.outcomes.capacity_moves`, :mod:`~sim.outcomes.payment`, :mod:`~sim.outcomes.controls`,
:mod:`~sim.outcomes.slot_allocation`, :mod:`~sim.outcomes.specialisation`), the queue KPIs in ``sim.queue_growth``.
:func:`all_kpis` assembles them; :data:`KPI_SCHEMA` is that list (``docs/outcomes.md`` is generated from it
and a test fails if a run produces a KPI outside it or misses one). Formulas read named, lazily computed
measures of the results window (:class:`Window`). Patient KPIs are computed for the modelled chronic
patients over the results window (after warm-up), overall (``group == "all"``) and per risk tier at entry
(``tier=high|moderate|low``), condition (``condition=copd|...``; a multimorbid patient counts in each of
their conditions), vulnerability and number of conditions. System KPIs are overall only.
"""

from .acute_alternatives import municipal_acute_stays_table
from .compute import as_nested, compute
from .declarations import KPI_BY_NAME, KPI_SCHEMA, all_cost_items, all_kpis, all_measures, built_in_kpis, kpi_by_name
from .tables import LATE, MISSED, admissions_table, patient_groups
from .teams import team_cases_table
from .window import Window

__all__ = ["KPI_BY_NAME", "KPI_SCHEMA", "LATE", "MISSED", "Window", "admissions_table", "all_cost_items", "all_kpis", "built_in_kpis", "kpi_by_name",
           "all_measures", "as_nested", "compute", "municipal_acute_stays_table", "patient_groups", "team_cases_table"]

"""Every KPI, window measure and cost item of the model, assembled from the modules that declare them.

The KPI table lists KPIs in the order of :func:`all_kpis` (per group, then system, queue, move and team
KPIs); the core and mechanism tuples are interleaved to keep the table's order as it has always been, and a
new mechanism's KPIs go after them. ``KPI_SCHEMA`` (``docs/outcomes.md`` is generated from it) is this list.
"""

from __future__ import annotations

from ..costs import COST_ITEMS
from ..kpi import KPI, CostItem, Measure
from ..queue_growth import QUEUE_KPIS
from . import (acute_alternatives, activity, capacity_moves, controls, group_kpis, overload, payment, slot_allocation,
               specialisation, system_kpis, teams)
from .patient_costs import cost_measure


def all_kpis() -> tuple[KPI, ...]:
    """Every KPI declaration, in the order of the KPI table."""
    return (
        # per patient group
        *group_kpis.EXPOSURE_AND_ACUTE_CARE, *acute_alternatives.RETURN_KPIS, *acute_alternatives.GROUP_KPIS,
        *group_kpis.OUTPATIENT_VISITS, *controls.GROUP_KPIS, *group_kpis.OUTPATIENT_AND_TRANSITIONS, *teams.GROUP_KPIS,
        *specialisation.GROUP_KPIS, *overload.GROUP_KPIS,
        *group_kpis.COSTS, *payment.GROUP_KPIS,
        # system (group "all")
        *system_kpis.GP_REFERRALS, *specialisation.SYSTEM_KPIS, *system_kpis.WAITS, *slot_allocation.WAITING_LIST_KPIS,
        *teams.SYSTEM_KPIS, *controls.SYSTEM_KPIS, *system_kpis.CAPACITY_USE, *acute_alternatives.SYSTEM_KPIS,
        *slot_allocation.RESERVE_KPIS, *overload.SYSTEM_KPIS,
        *capacity_moves.SYSTEM_KPIS,
        # one group per queue, capacity move and team
        *QUEUE_KPIS, *capacity_moves.MOVE_KPIS, *teams.TEAM_KPIS,
    )


def all_cost_items() -> tuple[CostItem, ...]:
    """Every cost item, in the order they are added up (the order is part of the floating-point result)."""
    return (*COST_ITEMS, *acute_alternatives.COST_ITEMS, *overload.COST_ITEMS)


def all_measures() -> tuple[Measure, ...]:
    """Every window measure beyond the window's own properties, the per-patient cost among them."""
    return (*activity.MEASURES, *system_kpis.MEASURES, *controls.MEASURES, *specialisation.MEASURES,
            *slot_allocation.MEASURES, *acute_alternatives.MEASURES, *overload.MEASURES, *teams.MEASURES,
            *capacity_moves.MEASURES, cost_measure(all_cost_items()))


KPI_SCHEMA: tuple[KPI, ...] = all_kpis()
KPI_BY_NAME: dict[str, KPI] = {k.name: k for k in KPI_SCHEMA}

"""Every KPI, window measure and cost item of the model, assembled from the modules that declare them.

The KPI table lists KPIs in the order of :func:`all_kpis` (per group, then system, queue, move and team
KPIs); the core and built-in mechanisms' tuples are interleaved to keep the table's order as it has always
been, and the KPIs, cost items and measures of mechanisms registered from outside ``sim``
(``Mechanism.kpis``, ``.cost_items``, ``.measures``; ``sim.mechanisms.registry``) go after them, in
registration order. ``KPI_SCHEMA`` (``docs/outcomes.md`` is generated from it) is the built-in list;
:func:`kpi_by_name` finds any KPI, a plug-in's included.
"""

from __future__ import annotations

from ..costs import COST_ITEMS, PAYERS
from ..kpi import KPI, SCOPES, CostItem, Measure
from ..mechanisms import registry
from ..queue_growth import QUEUE_KPIS
from . import (acute_alternatives, activity, capacity_moves, controls, group_kpis, overload, payment, slot_allocation,
               specialisation, system_kpis, teams)
from .patient_costs import cost_measure


class DeclarationError(ValueError):
    """A plug-in's KPI or cost item clashes with another declaration or names an unknown scope or payer."""


def all_kpis() -> tuple[KPI, ...]:
    """Every KPI declaration, in the order of the KPI table: the built-in ones, then the plug-ins'."""
    declared = built_in_kpis()
    names = {k.name for k in declared}
    for mechanism in registry.registered():
        for kpi in mechanism.kpis:
            if not isinstance(kpi, KPI) or kpi.formula is None:
                raise DeclarationError(f"{mechanism.name}: kpis must hold sim.kpi.KPI declarations with a formula, got {kpi!r}")
            if kpi.name in names:
                raise DeclarationError(f"{mechanism.name}: a KPI named {kpi.name!r} already exists")
            if kpi.scope not in SCOPES:
                raise DeclarationError(f"{mechanism.name}: KPI {kpi.name!r} has scope {kpi.scope!r}; "
                                       f"allowed scopes are {', '.join(SCOPES)}")
            names.add(kpi.name)
            declared += (kpi,)
    return declared


def built_in_kpis() -> tuple[KPI, ...]:
    """The KPIs of usual care and the built-in mechanisms, in the order of the KPI table."""
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
    """Every cost item, in the order they are added up (the order is part of the floating-point result):
    the built-in ones, then the plug-ins'."""
    items = (*COST_ITEMS, *acute_alternatives.COST_ITEMS, *overload.COST_ITEMS)
    names = {item.name for item in items}
    for mechanism in registry.registered():
        for item in mechanism.cost_items:
            if not isinstance(item, CostItem) or item.activity is None:
                raise DeclarationError(f"{mechanism.name}: cost_items must hold sim.kpi.CostItem declarations with "
                                       f"an activity, got {item!r}")
            if item.name in names:
                raise DeclarationError(f"{mechanism.name}: a cost item named {item.name!r} already exists")
            if item.payer not in PAYERS:
                raise DeclarationError(f"{mechanism.name}: cost item {item.name!r} is paid by {item.payer!r}; "
                                       f"payers are {', '.join(PAYERS)}")
            names.add(item.name)
            items += (item,)
    return items


def all_measures() -> tuple[Measure, ...]:
    """Every window measure beyond the window's own properties, the per-patient cost among them; a plug-in's
    measures come after the built-in ones."""
    plugin = tuple(measure for mechanism in registry.registered() for measure in mechanism.measures)
    return (*activity.MEASURES, *system_kpis.MEASURES, *controls.MEASURES, *specialisation.MEASURES,
            *slot_allocation.MEASURES, *acute_alternatives.MEASURES, *overload.MEASURES, *teams.MEASURES,
            *capacity_moves.MEASURES, *plugin, cost_measure(all_cost_items()))


def kpi_by_name() -> dict[str, KPI]:
    """Every KPI by name, those of registered plug-ins included (for units and descriptions of results);
    built once per set of registered mechanisms (the report asks for units row by row)."""
    key = registry.registered()
    if key not in _BY_NAME:
        _BY_NAME[key] = {k.name: k for k in all_kpis()}
    return _BY_NAME[key]


_BY_NAME: dict[tuple, dict[str, KPI]] = {}


KPI_SCHEMA: tuple[KPI, ...] = built_in_kpis()
KPI_BY_NAME: dict[str, KPI] = {k.name: k for k in KPI_SCHEMA}

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


def _with_plugins(built_in: tuple, attribute: str, kind: str, problem) -> tuple:
    """``built_in``, then every registered mechanism's declarations of ``attribute`` (``kpis``, ``cost_items``,
    ``measures``) in registry order; a name that clashes, or a declaration ``problem`` finds wrong (it returns
    the reason, or None), is refused naming the mechanism."""
    declared, names = built_in, {item.name for item in built_in}
    for mechanism in registry.registered():
        for item in getattr(mechanism, attribute):
            reason = problem(item)
            if reason is None and item.name in names:
                reason = f"a {kind} named {item.name!r} already exists"
            if reason is not None:
                raise DeclarationError(f"{mechanism.name}: {reason}")
            names.add(item.name)
            declared += (item,)
    return declared


def _kpi_problem(kpi) -> str | None:
    if not isinstance(kpi, KPI) or kpi.formula is None:
        return f"kpis must hold sim.kpi.KPI declarations with a formula, got {kpi!r}"
    if kpi.scope not in SCOPES:
        return f"KPI {kpi.name!r} has scope {kpi.scope!r}; allowed scopes are {', '.join(SCOPES)}"
    return None


def _cost_item_problem(item) -> str | None:
    if not isinstance(item, CostItem) or item.activity is None:
        return f"cost_items must hold sim.kpi.CostItem declarations with an activity, got {item!r}"
    if item.payer not in PAYERS:
        return f"cost item {item.name!r} is paid by {item.payer!r}; payers are {', '.join(PAYERS)}"
    return None


def _measure_problem(measure) -> str | None:
    return None if isinstance(measure, Measure) else f"measures must hold sim.kpi.Measure declarations, got {measure!r}"


def all_kpis() -> tuple[KPI, ...]:
    """Every KPI declaration, in the order of the KPI table: the built-in ones, then the plug-ins'."""
    return _with_plugins(built_in_kpis(), "kpis", "KPI", _kpi_problem)


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
    return _with_plugins((*COST_ITEMS, *acute_alternatives.COST_ITEMS, *overload.COST_ITEMS), "cost_items",
                         "cost item", _cost_item_problem)


def all_measures() -> tuple[Measure, ...]:
    """Every window measure beyond the window's own properties, the per-patient cost among them; a plug-in's
    measures come after the built-in ones."""
    built_in = (*activity.MEASURES, *system_kpis.MEASURES, *controls.MEASURES, *specialisation.MEASURES,
                *slot_allocation.MEASURES, *acute_alternatives.MEASURES, *overload.MEASURES, *teams.MEASURES,
                *capacity_moves.MEASURES)
    return (*_with_plugins(built_in, "measures", "measure", _measure_problem), cost_measure(all_cost_items()))


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
